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
  costToExpiryUsd: number;
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
    costToExpiryUsd: plan.cost.usdToExpiry,
    costNotes: plan.cost.notes,
    costWarnings: plan.cost.warnings,
  };
}
