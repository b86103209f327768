import type { FleetPlan } from "./types";

/** The stack's `summary` output; `lifeline cost` and `lifeline expired` read it back. */
export interface FleetSummary {
  stack: string;
  volunteer: string;
  nodes: number;
  /** Node count by provider, then region. */
  byProvider: Record<string, Record<string, number>>;
  /** VMs, addresses and disks. */
  costPerHourUsd: number;
  /** Everything, traffic at `trafficGbPerNodeDay` included. */
  costPerDayUsd: number;
  trafficGbPerNodeDay: number;
  trafficCostPerDayUsd: number;
  budgetPerDayUsd: number;
  expires: string;
  // No cost "to expiry" here: it falls every day, and an output that changes by date makes
  // every preview show a change (`plan` prints it; `lifeline cost` works it out from today).
  costNotes: string[];
  costWarnings: string[];
}

/** The stack's `summary` output: whose it is, what runs where and what it costs. */
export function fleetSummary(plan: FleetPlan, stack: string): FleetSummary {
  const byProvider: Record<string, Record<string, number>> = {};
  for (const node of plan.nodes) {
    const regions = (byProvider[node.provider] ??= {});
    regions[node.region] = (regions[node.region] ?? 0) + 1;
  }
  return {
    stack,
    volunteer: plan.volunteer,
    nodes: plan.nodes.length,
    byProvider,
    costPerHourUsd: plan.cost.usdPerHour,
    costPerDayUsd: plan.cost.usdPerDay,
    trafficGbPerNodeDay: plan.cost.trafficGbPerNodeDay,
    trafficCostPerDayUsd: plan.cost.trafficUsdPerDay,
    budgetPerDayUsd: plan.budgetPerDay,
    expires: plan.expires,
    costNotes: plan.cost.notes,
    costWarnings: plan.cost.warnings,
  };
}
