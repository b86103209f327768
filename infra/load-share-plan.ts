import * as pulumi from "@pulumi/pulumi";
import { FleetConfigError } from "../src/config/issues";
import { loadSharePlan, stackKind, type ShareStackPlan } from "../src/share-stack/plan";

/**
 * The share plan when the stack declares `lifeline:share`, else undefined (a fleet stack). A
 * bad share block, or one beside a fleet, becomes a RunError before anything is created.
 */
export function loadShareStackPlan(stack: string): ShareStackPlan | undefined {
  const source = `stacks/Pulumi.${stack}.yaml`;
  const config = new pulumi.Config("lifeline");
  const share = rawValue(config, "share");
  try {
    if (stackKind(rawValue(config, "fleet"), share, source) === "fleet") return undefined;
    const plan = loadSharePlan(share, source);
    pulumi.log.info(`share stack: ${plan.cost.usdPerMonthFlat > 0 ? `$${plan.cost.usdPerMonthFlat.toFixed(2)} a month flat` : "pay per use, no flat fee"} (npm run plan -- --stack ${stack})`);
    return plan;
  } catch (error) {
    if (error instanceof FleetConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/** A config value as the stack file holds it: an object (stored as JSON text) or plain text. */
function rawValue(config: pulumi.Config, key: string): unknown {
  const text = config.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
