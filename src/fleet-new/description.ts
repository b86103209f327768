import { z } from "zod";
import { providerNames, type ProviderName } from "../catalog";

const providerName = z.enum(providerNames as [ProviderName, ...ProviderName[]], { error: `must be one of ${providerNames.join(", ")}` });
const stackName = z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be a stack name: letters, digits, ".", "-" and "_" (e.g. aigerim)' });
const port = z.number().int().min(1).max(65535);

const volunteer = z.union([
  stackName,
  z.strictObject({
    /** The stack name, e.g. aigerim. */
    name: stackName,
    /** Shown on the stack (`volunteer:`); the stack name when absent. */
    volunteer: z.string().min(1).optional(),
    provider: providerName.optional(),
    nodes: z.number().int().min(1).max(50).optional(),
    budgetPerDay: z.number().positive().optional(),
  }),
]);

/**
 * What an organizer writes once for many volunteers (YAML or JSON): who, on which cloud, how
 * many nodes each, the budget, the expiry and the open ports. `relays` is optional: by default
 * the open ports get an MTProto, a Shadowsocks and a SOCKS5 relay, in that order.
 */
export const fleetDescriptionSchema = z.strictObject({
  volunteers: z.array(volunteer).min(1, { error: "needs at least one volunteer" }),
  /** Given in turn to volunteers that name no provider. */
  providers: z.array(providerName).min(1).default(["digitalocean"]),
  nodesEach: z.number().int().min(1).max(50).default(2),
  budgetPerDay: z.number().positive({ error: "must be above 0" }),
  expires: z.iso.date({ error: "must be a date written YYYY-MM-DD" }),
  openPorts: z.array(port).min(1, { error: "needs at least one known-open port" }),
  relays: z.array(z.looseObject({ kind: z.string(), port })).optional(),
});

export type FleetDescription = z.infer<typeof fleetDescriptionSchema>;

/** One volunteer of the description, with the fleet-wide defaults filled in. */
export interface VolunteerRequest {
  stack: string;
  volunteer: string;
  provider: ProviderName;
  nodes: number;
  budgetPerDay: number;
}

/** Volunteers in order; providers without one taken in turn, so accounts spread over clouds. */
export function volunteerRequests(description: FleetDescription): VolunteerRequest[] {
  let turn = 0;
  return description.volunteers.map((v) => {
    const entry = typeof v === "string" ? { name: v } : v;
    const provider = "provider" in entry && entry.provider !== undefined ? entry.provider : description.providers[turn++ % description.providers.length]!;
    return {
      stack: entry.name,
      volunteer: ("volunteer" in entry ? entry.volunteer : undefined) ?? entry.name,
      provider,
      nodes: ("nodes" in entry ? entry.nodes : undefined) ?? description.nodesEach,
      budgetPerDay: ("budgetPerDay" in entry ? entry.budgetPerDay : undefined) ?? description.budgetPerDay,
    };
  });
}

/** The relays each stack gets: as given, or MTProto, Shadowsocks and SOCKS5 on the open ports (443 first). */
export function defaultRelays(openPorts: readonly number[]): Array<{ kind: string; port: number }> {
  const ports = [...openPorts].sort((a, b) => Number(b === 443) - Number(a === 443));
  return ["mtproto", "shadowsocks", "socks5"].slice(0, ports.length).map((kind, i) => ({ kind, port: ports[i]! }));
}
