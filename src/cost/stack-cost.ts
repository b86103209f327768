import { providerNames, type ProviderName } from "../catalog";
import { nodeRates, type NodeRates } from "./node-rates";
import { trafficCost, type TrafficCost } from "./traffic";

/** What the cost model needs to know of a node. */
export interface PricedNode {
  provider: ProviderName;
  region: string;
  size: string;
}

/** One stack's (one volunteer's account's) cost, unrounded: round only to print. */
export interface StackCost {
  nodes: number;
  gbPerNodeDay: number;
  /** VMs, public addresses and disks: billed while the nodes exist, used or not. */
  fixedUsdPerHour: number;
  fixedUsdPerDay: number;
  /** Per cloud that the stack uses. */
  traffic: TrafficCost[];
  trafficUsdPerDay: number;
  usdPerDay: number;
  /** The day's cost spread over its hours, traffic included. */
  usdPerHour: number;
}

/** Costs of a stack's nodes with `gbPerNodeDay` GB sent out by each node every day. */
export function stackCost(nodes: readonly PricedNode[], gbPerNodeDay: number): StackCost {
  const rates: NodeRates[] = nodes.map((n) => nodeRates(n.provider, n.region, n.size));
  const fixedUsdPerHour = rates.reduce((sum, r) => sum + r.fixedUsdPerHour, 0);
  const traffic = providerNames
    .map((provider) => rates.filter((r) => r.provider === provider))
    .filter((own) => own.length > 0)
    .map((own) => trafficCost(own[0]!.provider, own, gbPerNodeDay));
  const trafficUsdPerDay = traffic.reduce((sum, t) => sum + t.usdPerDay, 0);
  const usdPerDay = fixedUsdPerHour * 24 + trafficUsdPerDay;
  return {
    nodes: nodes.length,
    gbPerNodeDay,
    fixedUsdPerHour,
    fixedUsdPerDay: fixedUsdPerHour * 24,
    traffic,
    trafficUsdPerDay,
    usdPerDay,
    usdPerHour: usdPerDay / 24,
  };
}

export function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/**
 * The loud part for AWS: its traffic, not its VMs, makes the bill. Said whenever a stack has
 * AWS nodes, with the stack's own figures.
 */
export function awsTrafficWarning(cost: StackCost): string | undefined {
  const aws = cost.traffic.find((t) => t.provider === "aws");
  if (!aws) return undefined;
  return (
    `WARNING: on AWS, traffic is the main cost, not the VMs. At ${cost.gbPerNodeDay} GB out per node a day, ` +
    `the AWS nodes send ${aws.gbPerDay.toFixed(0)} GB a day; after the account's free 100 GB a month, that is ` +
    `$${aws.usdPerDay.toFixed(2)}/day of this stack's $${cost.usdPerDay.toFixed(2)}/day, and every further GB costs $0.09-0.15. ` +
    "A busy proxy sends far more than a quiet one: watch the bill in the first days, or set abuse.bandwidthMbit."
  );
}
