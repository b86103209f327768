import type { FleetConfig } from "../config/schema";
import { FleetConfigError } from "../config/issues";
import { estimateCost } from "./cost";
import { expandNodes } from "./expand";
import { fleetIssues } from "./guards";
import type { FleetPlan } from "./types";

export interface PlanOptions {
  /** Where the config came from, for messages: `stacks/Pulumi.aigerim.yaml`. */
  source: string;
  /** Today as YYYY-MM-DD; passed in so the plan is a pure function. */
  today: string;
}

/** Expands a parsed config into nodes and cost, or throws every issue the guards find. */
export function planFleet(config: FleetConfig, options: PlanOptions): FleetPlan {
  const nodes = expandNodes(config);
  const cost = estimateCost(nodes, options.today, config.expires);
  const issues = fleetIssues(config, nodes, cost, options.today);
  if (issues.length > 0) throw new FleetConfigError(options.source, issues);
  return { volunteer: config.volunteer, expires: config.expires, budgetPerDay: config.budgetPerDay, nodes, cost };
}
