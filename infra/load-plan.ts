import * as pulumi from "@pulumi/pulumi";
import { FleetConfigError } from "../src/config/issues";
import { loadFleetPlan } from "../src/plan/plan";
import type { FleetPlan } from "../src/plan/types";

/**
 * Reads `lifeline:fleet` from the stack config and plans it. A bad config becomes a
 * RunError, which Pulumi prints as a plain message (no stack trace) before creating anything.
 */
export function loadPlan(stack: string, today: string): FleetPlan {
  const source = `stacks/Pulumi.${stack}.yaml`;
  try {
    const raw = new pulumi.Config("lifeline").getObject<unknown>("fleet");
    return loadFleetPlan(raw, { source, today });
  } catch (error) {
    if (error instanceof FleetConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
