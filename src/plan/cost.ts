import { providerCatalogs } from "../catalog";
import { awsTrafficWarning, roundCents, stackCost, type PricedNode } from "../cost/stack-cost";
import type { FleetCost } from "./types";

const msPerDay = 86_400_000;

/** Whole days from `today` to `expires` (both YYYY-MM-DD), never negative. */
export function daysBetween(today: string, expires: string): number {
  const days = (Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / msPerDay;
  return Math.max(0, Math.round(days));
}

/**
 * What the nodes cost while they run, traffic at `gbPerNodeDay` included, and until the expiry
 * date: nodes serve through the whole `expires` day (UTC), so that day counts.
 */
export function estimateCost(nodes: readonly PricedNode[], today: string, expires: string, gbPerNodeDay: number): FleetCost {
  const cost = stackCost(nodes, gbPerNodeDay);
  const daysToExpiry = daysBetween(today, expires) + 1;
  const providers = [...new Set(nodes.map((n) => n.provider))];
  const warning = awsTrafficWarning(cost);
  return {
    usdPerHour: Math.round(cost.fixedUsdPerHour * 10_000) / 10_000,
    trafficGbPerNodeDay: gbPerNodeDay,
    trafficUsdPerDay: roundCents(cost.trafficUsdPerDay),
    usdPerDay: roundCents(cost.usdPerDay),
    daysToExpiry,
    usdToExpiry: roundCents(cost.usdPerDay * daysToExpiry),
    notes: providers.map((p) => providerCatalogs[p].priceNote),
    warnings: warning ? [warning] : [],
  };
}
