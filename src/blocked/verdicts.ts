import { nodeTag, type Report } from "../inside/report-code";
import type { OutsideNode } from "./outside-check";

export const verdicts = ["blocked-inside", "down", "working", "disputed", "unreported"] as const;
export type Verdict = (typeof verdicts)[number];

/** What one report says of one node: whether any of its relays worked from that network. */
export interface Observation {
  report: number;
  network: string;
  works: boolean;
  relaysOk: number;
  relays: number;
}

export interface NodeVerdict {
  node: OutsideNode;
  verdict: Verdict;
  /** Any relay passed from outside. */
  worksOutside: boolean;
  observations: Observation[];
}

export interface JoinedReports {
  nodes: NodeVerdict[];
  /** Tags no node of the outside check has, or that fit more than one: said, never guessed. */
  warnings: string[];
}

/**
 * Joins report codes from inside with `check --json` from outside, per node. A node failing
 * every handshake outside is down (a cloud problem, whatever inside says); otherwise the reports
 * decide: all say it fails -> blocked inside, all say it works -> working, they disagree ->
 * disputed, none names it -> unreported.
 */
export function joinReports(reports: readonly Report[], outside: readonly OutsideNode[]): JoinedReports {
  const observations = new Map<string, Observation[]>(outside.map((n) => [n.address, []]));
  const warnings: string[] = [];
  reports.forEach((report, index) => {
    for (const reported of report.nodes) {
      const matches = outside.filter((n) => nodeTag(report.salt, n.address) === reported.tag);
      const which = `report ${index + 1}${report.network === "" ? "" : ` (${report.network})`}`;
      if (matches.length === 0) {
        warnings.push(`${which} names a node the outside check does not have (an older or another organizer's link?): left out`);
        continue;
      }
      if (matches.length > 1) {
        warnings.push(`${which} names a node whose tag fits ${matches.map((m) => m.name).join(" and ")}: left out; a fresh code from the same person draws a new tag`);
        continue;
      }
      const relaysOk = reported.relays.filter((r) => r.status === "ok").length;
      observations.get(matches[0]!.address)!.push({ report: index + 1, network: report.network, works: relaysOk > 0, relaysOk, relays: reported.relays.length });
    }
  });
  const nodes = outside.map((node): NodeVerdict => {
    const seen = observations.get(node.address)!;
    const worksOutside = Object.values(node.relays).some((ok) => ok);
    const verdict: Verdict = !worksOutside
      ? "down"
      : seen.length === 0
        ? "unreported"
        : seen.every((o) => o.works)
          ? "working"
          : seen.every((o) => !o.works)
            ? "blocked-inside"
            : "disputed";
    return { node, verdict, worksOutside, observations: seen };
  });
  return { nodes, warnings };
}

/** Nodes a rotation may touch: blocked inside only, never down, disputed, working or unreported. */
export function nodesToRotate(joined: JoinedReports): NodeVerdict[] {
  return joined.nodes.filter((n) => n.verdict === "blocked-inside");
}

/** Per verdict: how many nodes, how many reports back it, from which networks. */
export function verdictCounts(joined: JoinedReports): Array<{ verdict: Verdict; nodes: number; reports: number; networks: string[] }> {
  return verdicts.map((verdict) => {
    const of = joined.nodes.filter((n) => n.verdict === verdict);
    const obs = of.flatMap((n) => n.observations);
    return {
      verdict,
      nodes: of.length,
      reports: new Set(obs.map((o) => o.report)).size,
      networks: [...new Set(obs.map((o) => o.network).filter((n) => n !== ""))].sort(),
    };
  });
}
