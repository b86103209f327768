import * as pulumi from "@pulumi/pulumi";
import { FleetConfigError } from "../src/config/issues";
import { priceAgeWarning } from "../src/cost/price-age";
import { loadFleetPlan } from "../src/plan/plan";
import { describeAccountNeeds } from "../src/plan/quotas";
import type { FleetPlan } from "../src/plan/types";
import { describeUpdateHeadroom } from "../src/plan/update-headroom";

/**
 * Reads `lifeline:fleet` from the stack config and plans it. A bad config (an account limit the
 * stack would exceed included) becomes a RunError, which Pulumi prints as a plain message (no
 * stack trace) before creating anything. Limits beyond a new account's are said up front.
 */
export function loadPlan(stack: string, today: string): FleetPlan {
  const source = `stacks/Pulumi.${stack}.yaml`;
  try {
    const raw = new pulumi.Config("lifeline").getObject<unknown>("fleet");
    const plan = loadFleetPlan(raw, { source, today });
    pulumi.log.info(describeAccountNeeds(plan.quotaNeeds, plan.optInRegions).join("\n"));
    for (const { line, warning } of describeUpdateHeadroom(plan.quotaNeeds, plan.replaceInPlace)) (warning ? pulumi.log.warn : pulumi.log.info)(line);
    // Loud: these are what surprise volunteers on their bill.
    for (const warning of [...plan.cost.warnings, priceAgeWarning(today)]) if (warning) pulumi.log.warn(warning);
    return plan;
  } catch (error) {
    if (error instanceof FleetConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
