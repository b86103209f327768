import type { FleetPlan } from "./types";

export interface FleetSummary {
  nodes: number;
  /** Node count by provider, then region. */
  byProvider: Record<string, Record<string, number>>;
  costPerHourUsd: number;
  costPerDayUsd: number;
  budgetPerDayUsd: number;
  expires: string;
  costToExpiryUsd: number;
  costNotes: string[];
}

/** The stack's `summary` output: what runs where and what it costs. */
export function fleetSummary(plan: FleetPlan): FleetSummary {
  const byProvider: Record<string, Record<string, number>> = {};
  for (const node of plan.nodes) {
    const regions = (byProvider[node.provider] ??= {});
    regions[node.region] = (regions[node.region] ?? 0) + 1;
  }
  return {
    nodes: plan.nodes.length,
    byProvider,
    costPerHourUsd: plan.cost.usdPerHour,
    costPerDayUsd: plan.cost.usdPerDay,
    budgetPerDayUsd: plan.budgetPerDay,
    expires: plan.expires,
    costToExpiryUsd: plan.cost.usdToExpiry,
    costNotes: plan.cost.notes,
  };
}
