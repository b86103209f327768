import { awsPrices, digitalOceanPrices } from "../catalog/prices";
import type { StackFacts } from "../fleet-input/types";
import { endOfDayUtc } from "../plan/expand";
import { stackNameShape } from "../fleet-input/relay-schemas";
import { shellCommand } from "../sinks/shell-command";

export interface ExpiredStack {
  source: string;
  stack?: string;
  volunteer?: string;
  expires: string;
  /** When its nodes stopped serving: the end of the `expires` day, UTC. */
  expiredAt: string;
  nodes: string[];
  /** What still bills until the stack is destroyed, per cloud, in words. */
  stillBilling: string[];
  /** The exact command that ends the bill, or how to find the stack's name. */
  destroy: string;
}

/** What a node leaves billing after its own expiry action (src/cloudinit/expiry.ts). */
function stillBilling(facts: StackFacts): string[] {
  const count = (provider: string) => facts.nodes.filter((n) => n.provider === provider).length;
  const lines: string[] = [];
  const droplets = count("digitalocean");
  if (droplets > 0) {
    lines.push(`${droplets} DigitalOcean droplet${droplets === 1 ? "" : "s"} (relays stopped, but a droplet bills until it is destroyed)`);
  }
  const eips = count("aws");
  if (eips > 0) {
    const perDay = eips * awsPrices.publicIpv4UsdPerHour * 24;
    lines.push(`${eips} AWS Elastic IP${eips === 1 ? "" : "s"} ($${perDay.toFixed(2)}/day; the instances terminated themselves)`);
  }
  return lines;
}

/**
 * The command that ends a stack's bill, each argument shell-quoted: the stack name comes from an
 * outputs or stack file, and a name that is not a stack name is never printed as one.
 * `--refresh` first: the DigitalOcean provider's reserved-IP assignment delete reads the
 * droplet of the address without checking there is one, and crashes when a droplet vanished
 * outside Pulumi; a refresh drops the stale assignment from the state before the delete.
 */
function destroyCommand(facts: StackFacts): string {
  if (facts.stack !== undefined && stackNameShape.test(facts.stack)) return shellCommand(["npx", "pulumi", "destroy", "--refresh", "--stack", facts.stack]);
  const why = facts.stack === undefined ? "does not name its stack" : "names no valid stack";
  return `npx pulumi destroy --refresh --stack <name> (${facts.source} ${why}: see \`npx pulumi stack ls\`)`;
}

/** Why the destroy command refreshes first, said once under the list. */
export const destroyRefreshNote =
  "--refresh makes Pulumi read what still exists first: without it, a droplet that vanished outside Pulumi (deleted by hand or by DigitalOcean) crashes the DigitalOcean provider half-way through the destroy.";

/** Stacks whose expiry has passed at `now` (ISO 8601), each with the command that ends its bill. */
export function expiredStacks(stacks: readonly StackFacts[], now: string): { expired: ExpiredStack[]; unknownExpiry: string[] } {
  const expired: ExpiredStack[] = [];
  const unknownExpiry: string[] = [];
  for (const facts of stacks) {
    if (facts.expires === undefined) {
      unknownExpiry.push(facts.source);
      continue;
    }
    const expiredAt = endOfDayUtc(facts.expires);
    if (Date.parse(expiredAt) > Date.parse(now)) continue;
    expired.push({
      source: facts.source,
      ...(facts.stack !== undefined ? { stack: facts.stack } : {}),
      ...(facts.volunteer !== undefined ? { volunteer: facts.volunteer } : {}),
      expires: facts.expires,
      expiredAt,
      nodes: facts.nodes.map((n) => n.name),
      stillBilling: stillBilling(facts),
      destroy: destroyCommand(facts),
    });
  }
  return { expired, unknownExpiry };
}

/** Reserved IPs a DigitalOcean stack leaves if its droplets are deleted by hand instead of destroyed. */
export const unassignedReservedIpNote =
  `Delete nothing by hand: a reserved IP left without its droplet bills about $${digitalOceanPrices.reservedIpUnassignedUsdPerMonth}/month; ` +
  "`pulumi destroy` removes the droplets, addresses and firewalls together.";
