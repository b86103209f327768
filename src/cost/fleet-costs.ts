import { providerNames, type ProviderName } from "../catalog";
import type { StackFacts } from "../fleet-input/types";
import { daysBetween } from "../plan/cost";
import { nodeRates, UnknownPriceError } from "./node-rates";
import { awsTrafficWarning, stackCost, type PricedNode, type StackCost } from "./stack-cost";

/** One volunteer's part of the fleet: the sum of their stacks (each its own account). */
export interface VolunteerCost {
  volunteer: string;
  stacks: string[];
  nodes: number;
  /** VMs, addresses and disks. */
  fixedUsdPerHour: number;
  trafficGBPerDay: number;
  trafficUsdPerDay: number;
  usdPerDay: number;
  usdForDays: number;
  /** Of the fleet's cost per day, 0..1. */
  share: number;
}

export interface FleetCostReport {
  days: number;
  volunteers: VolunteerCost[];
  total: Omit<VolunteerCost, "volunteer" | "stacks" | "share">;
  /** AWS traffic warnings, one per stack with AWS nodes. */
  warnings: string[];
  /** Stacks whose expiry falls within the days priced, with the days each is priced for. */
  expiryNotes: string[];
}

export class CostInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "CostInputError";
  }
}

function isProvider(name: string): name is ProviderName {
  return (providerNames as string[]).includes(name);
}

/** The stack's nodes as the cost model takes them; what cannot be priced is a problem naming its node. */
function pricedNodes(facts: StackFacts, problems: string[]): PricedNode[] {
  return facts.nodes.flatMap((node, i) => {
    const at = `${facts.source}: nodes[${i}] (${node.name})`;
    if (!isProvider(node.provider)) return problems.push(`${at}.provider: "${node.provider}" is not a cloud lifeline prices`), [];
    if (node.size === undefined) return problems.push(`${at}.size: is missing (outputs of an older lifeline: run \`pulumi up\` once, or give --stacks)`), [];
    try {
      nodeRates(node.provider, node.region, node.size);
    } catch (error) {
      if (!(error instanceof UnknownPriceError)) throw error;
      return problems.push(`${at}: ${error.message}`), [];
    }
    return [{ provider: node.provider, region: node.region, size: node.size }];
  });
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

/**
 * Days of the `days` from `today` on that a stack runs: nodes serve through their expiry day
 * (UTC) and stop after it. Without an expiry (older outputs) or a today, all of them.
 */
function daysRunning(facts: StackFacts, days: number, today: string | undefined): number {
  if (facts.expires === undefined || today === undefined) return days;
  if (facts.expires < today) return 0;
  return Math.min(days, daysBetween(today, facts.expires) + 1);
}

function expiryNote(facts: StackFacts, days: number, running: number): string[] {
  if (running === days) return [];
  const name = facts.stack ?? facts.source;
  if (running === 0) {
    return [`${name}: expired on ${facts.expires}, so priced for none of the ${days} days; if its nodes still exist they still bill: \`lifeline expired\` gives the destroy command`];
  }
  return [`${name}: expires on ${facts.expires}, so priced for ${running} of the ${days} days (its nodes stop serving then: destroy them, see \`lifeline expired\`)`];
}

/**
 * Who pays what: each stack priced as its own account (its own transfer pool and free AWS
 * egress), then summed per volunteer, with each volunteer's share of the fleet's cost per day.
 * `gbPerNodeDay` overrides every stack's own traffic estimate.
 */
export function fleetCosts(
  stacks: readonly StackFacts[],
  options: { days: number; gbPerNodeDay?: number; defaultGbPerNodeDay: number; /** YYYY-MM-DD: the first day priced, for each stack's expiry. */ today?: string },
): FleetCostReport {
  const problems: string[] = [];
  const priced = stacks.map((facts) => ({ facts, nodes: pricedNodes(facts, problems) }));
  if (problems.length > 0) throw new CostInputError(problems);

  const perStack = priced.map(({ facts, nodes }) => ({
    facts,
    cost: stackCost(nodes, options.gbPerNodeDay ?? facts.trafficGbPerNodeDay ?? options.defaultGbPerNodeDay),
    days: daysRunning(facts, options.days, options.today),
  }));
  const byVolunteer = new Map<string, Array<{ facts: StackFacts; cost: StackCost; days: number }>>();
  for (const entry of perStack) {
    const name = entry.facts.volunteer ?? entry.facts.stack ?? entry.facts.source;
    byVolunteer.set(name, [...(byVolunteer.get(name) ?? []), entry]);
  }
  const fleetPerDay = sum(perStack, (s) => s.cost.usdPerDay);
  const volunteers = [...byVolunteer.entries()].map(([volunteer, entries]): VolunteerCost => {
    const usdPerDay = sum(entries, (e) => e.cost.usdPerDay);
    return {
      volunteer,
      stacks: entries.map((e) => e.facts.stack ?? e.facts.source),
      nodes: sum(entries, (e) => e.cost.nodes),
      fixedUsdPerHour: sum(entries, (e) => e.cost.fixedUsdPerHour),
      trafficGBPerDay: sum(entries, (e) => sum(e.cost.traffic, (t) => t.gbPerDay)),
      trafficUsdPerDay: sum(entries, (e) => e.cost.trafficUsdPerDay),
      usdPerDay,
      usdForDays: sum(entries, (e) => e.cost.usdPerDay * e.days),
      share: fleetPerDay === 0 ? 0 : usdPerDay / fleetPerDay,
    };
  });
  const total = {
    nodes: sum(volunteers, (v) => v.nodes),
    fixedUsdPerHour: sum(volunteers, (v) => v.fixedUsdPerHour),
    trafficGBPerDay: sum(volunteers, (v) => v.trafficGBPerDay),
    trafficUsdPerDay: sum(volunteers, (v) => v.trafficUsdPerDay),
    usdPerDay: fleetPerDay,
    usdForDays: sum(volunteers, (v) => v.usdForDays),
  };
  const warnings = perStack.flatMap(({ facts, cost }) => {
    const warning = awsTrafficWarning(cost);
    return warning ? [`${facts.stack ?? facts.source}: ${warning}`] : [];
  });
  const expiryNotes = perStack.flatMap(({ facts, days }) => expiryNote(facts, options.days, days));
  return { days: options.days, volunteers, total, warnings, expiryNotes };
}
