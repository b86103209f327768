import { providerCatalogs } from "../catalog";
import type { FleetCost, PlannedNode } from "./types";

const msPerDay = 86_400_000;

/** Whole days from `today` to `expires` (both YYYY-MM-DD), never negative. */
export function daysBetween(today: string, expires: string): number {
  const days = (Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / msPerDay;
  return Math.max(0, Math.round(days));
}

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** An hourly price as dollars a day, rounded to cents: the figure budgets are checked against. */
export function usdPerDayOf(usdPerHour: number): number {
  return roundCents(usdPerHour * 24);
}

/** What the nodes cost while they run, and until the expiry date; egress is priced apart. */
export function estimateCost(nodes: readonly PlannedNode[], today: string, expires: string): FleetCost {
  const usdPerHour = nodes.reduce((sum, n) => sum + n.usdPerHour, 0);
  const daysToExpiry = daysBetween(today, expires);
  const providers = [...new Set(nodes.map((n) => n.provider))];
  return {
    usdPerHour: Math.round(usdPerHour * 10_000) / 10_000,
    usdPerDay: usdPerDayOf(usdPerHour),
    daysToExpiry,
    usdToExpiry: roundCents(usdPerHour * 24 * daysToExpiry),
    notes: providers.map((p) => providerCatalogs[p].priceNote),
  };
}
