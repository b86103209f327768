import type { ProviderName } from "../catalog";
import { awsPrices } from "../catalog/prices";
import type { NodeRates } from "./node-rates";

/**
 * Allowances are monthly; spread over a 30-day month they are exact for a fleet that runs
 * whole months and on the safe side for a shorter one (DigitalOcean accrues a droplet's
 * allowance over its first 672 hours, and AWS's free 100 GB apply to any part of a month).
 */
export const daysPerMonth = 30;

/** One account's outbound traffic on one cloud, per day. */
export interface TrafficCost {
  provider: ProviderName;
  gbPerDay: number;
  /** Free per day: DigitalOcean's pooled allowance, or AWS's free 100 GB a month. */
  allowanceGBPerDay: number;
  billableGBPerDay: number;
  usdPerDay: number;
}

/**
 * Traffic is billed per account: DigitalOcean pools every droplet's allowance, and AWS's free
 * 100 GB cover all regions. Billable GB are priced at the average rate of the nodes' regions
 * (every node is assumed to carry the same traffic).
 */
export function trafficCost(provider: ProviderName, nodes: readonly NodeRates[], gbPerNodeDay: number): TrafficCost {
  const gbPerDay = nodes.length * gbPerNodeDay;
  const allowanceGBPerMonth =
    provider === "aws" ? (nodes.length > 0 ? awsPrices.freeEgressGBPerMonth : 0) : nodes.reduce((sum, n) => sum + n.pooledTransferGBPerMonth, 0);
  const allowanceGBPerDay = allowanceGBPerMonth / daysPerMonth;
  const billableGBPerDay = Math.max(0, gbPerDay - allowanceGBPerDay);
  const averageRate = nodes.length === 0 ? 0 : nodes.reduce((sum, n) => sum + n.egressUsdPerGB, 0) / nodes.length;
  return { provider, gbPerDay, allowanceGBPerDay, billableGBPerDay, usdPerDay: billableGBPerDay * averageRate };
}
