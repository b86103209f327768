import { parseFleetShape } from "../config/parse";
import { FleetConfigError } from "../config/issues";
import type { FleetConfig } from "../config/schema";
import { estimateCost } from "./cost";
import { expandNodes, probeNode } from "./expand";
import { fleetIssues } from "./guards";
import { groupsWithProbe, optInRegionUses, quotaNeeds } from "./quotas";
import type { FleetPlan } from "./types";
import { userDataIssues } from "./user-data-guard";

export interface PlanOptions {
  /** Where the config came from, for messages: `stacks/Pulumi.aigerim.yaml`. */
  source: string;
  /** Today as YYYY-MM-DD; passed in so the plan is a pure function. */
  today: string;
  /** For reading a stack that may have expired (`cost`, `expired`), not for creating one. */
  allowPastExpiry?: boolean;
}

/** Expands a valid config into nodes and cost. */
export function planFleet(config: FleetConfig, options: PlanOptions): FleetPlan {
  const nodes = expandNodes(config);
  const probe = probeNode(config);
  const cost = estimateCost([...nodes, ...(probe ? [probe] : [])], options.today, config.expires, config.trafficGbPerNodeDay);
  return {
    volunteer: config.volunteer,
    expires: config.expires,
    budgetPerDay: config.budgetPerDay,
    nodes,
    probe,
    cost,
    quotaNeeds: quotaNeeds(groupsWithProbe(config), config.quotas),
    optInRegions: optInRegionUses(groupsWithProbe(config), config.quotas),
    replaceInPlace: config.replaceInPlace,
  };
}

/**
 * The one way from a raw `lifeline:fleet` value to a plan, used by `pulumi up` and the CLI:
 * shape and cross-field problems are all gathered, then thrown together, before anything is made;
 * then user data that would not fit its cloud.
 */
export function loadFleetPlan(raw: unknown, options: PlanOptions): FleetPlan {
  const shape = parseFleetShape(raw);
  const declaresProbe = typeof raw === "object" && raw !== null && (raw as Record<string, unknown>)["probe"] !== undefined;
  const past = options.allowPastExpiry ?? false;
  const issues = shape.ok ? fleetIssues(shape.config, options.today, past) : [...shape.issues, ...fleetIssues(shape.partial, options.today, past, declaresProbe)];
  if (issues.length > 0 || !shape.ok) throw new FleetConfigError(options.source, issues);
  const plan = planFleet(shape.config, options);
  const tooLarge = userDataIssues(plan);
  if (tooLarge.length > 0) throw new FleetConfigError(options.source, tooLarge);
  return plan;
}
