import type { FleetPlan } from "../plan/types";
import { describeAccountNeeds } from "../plan/quotas";
import { fleetSummary } from "../plan/summary";
import { describeUpdateHeadroom } from "../plan/update-headroom";
import { relayKind } from "../relays/registry";
import type { RelayTransport } from "../relays/types";
import { formatTable } from "./table";

const usd = (n: number, digits = 2) => `$${n.toFixed(digits)}`;

/** The plan as an organizer reads it: one row per node, then counts and cost. */
export function planReport(stack: string, source: string, plan: FleetPlan): string {
  const summary = fleetSummary(plan, stack);
  const rows = [
    ["NODE", "PROVIDER", "REGION", "SIZE", "ARCH", "RELAYS (PORT)", "PER HOUR"],
    ...[...plan.nodes, ...(plan.probe ? [plan.probe] : [])].map((n) => [
      n.name,
      n.provider,
      n.region,
      n.size,
      n.arch,
      n.role === "probe" ? "(probe: answers on every port)" : n.relays.map((r) => `${r.kind}:${r.port}`).join(" "),
      usd(n.usdPerHour, 4),
    ]),
  ];
  const where = Object.entries(summary.byProvider)
    .map(([provider, regions]) => `${provider} ${Object.entries(regions).map(([r, c]) => `${r} x${c}`).join(", ")}`)
    .join("; ");
  const ports = plan.nodes[0]?.openTcpPorts.join(", ") ?? "none";
  const abuse = plan.nodes[0]?.abuse;
  const abuseLine = abuse
    ? `abuse controls: relay users reach ports ${abuse.allowedPorts.join(", ")} only; ${abuse.blockedPorts.length} ports or ranges always blocked; ` +
      `at most ${abuse.maxConnectionsPerClient} connections per client address; bandwidth cap ${abuse.bandwidthMbit === undefined ? "off" : `${abuse.bandwidthMbit} Mbit/s per node`}`
    : undefined;
  const relays = plan.nodes[0]?.relays ?? [];
  const byTransport = (transport: RelayTransport) =>
    relays.filter((r) => relayKind(r.kind).transport === transport).map((r) => `${r.kind} (${r.port})`).join(", ") || "none";
  const relayLines = [
    `hand to people inside the country (encrypted, even against whoever holds a link): ${byTransport("encrypted")}`,
    `only while the links stay private (whoever holds a link can decrypt captured traffic): ${byTransport("private-link")}`,
    `last resort only (plaintext: the censor sees passwords and sites): ${byTransport("plaintext")}`,
    ...relays.flatMap((r) => relayKind(r.kind).planNotes?.(r.options) ?? []),
  ];
  return [
    `lifeline plan for stack "${stack}" (${source})`,
    `volunteer: ${plan.volunteer}; expires at the end of ${plan.expires} UTC (${plan.cost.daysToExpiry} days including today); nodes stop serving then (README, "Expiry")`,
    "",
    rows.length > 1 ? formatTable(rows) : "(no nodes: every nodesPerRegion is 0)",
    "",
    `${plan.nodes.length} node${plan.nodes.length === 1 ? "" : "s"}${where ? `: ${where}` : ""}`,
    ...(plan.probe ? [`probe ${plan.probe.name}: after pulumi up, scan from inside with lifeline scan <probe address> --token <probeToken> (README, Finding the open ports)`] : []),
    `open TCP ports on each node: ${ports}`,
    ...(abuseLine ? [abuseLine] : []),
    ...(relays.length > 0 ? relayLines : []),
    `estimated cost: ${usd(plan.cost.usdPerHour, 4)}/hour for the VMs and addresses; ` +
      `${usd(plan.cost.usdPerDay)}/day with traffic at ${plan.cost.trafficGbPerNodeDay} GB per node a day (${usd(plan.cost.trafficUsdPerDay)} of it) ` +
      `(budget ${usd(plan.budgetPerDay)}/day); ${usd(plan.cost.usdToExpiry)} through ${plan.expires} (${plan.cost.daysToExpiry} days)`,
    ...plan.cost.notes.map((note) => `  note: ${note}`),
    ...plan.cost.warnings,
    ...describeAccountNeeds(plan.quotaNeeds, plan.optInRegions),
    ...describeUpdateHeadroom(plan.quotaNeeds, plan.replaceInPlace).map((l) => l.line),
    "",
  ].join("\n");
}
