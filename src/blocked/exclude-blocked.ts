import type { Fleet } from "../fleet-input/types";
import type { Report } from "../inside/report-code";
import { joinReports } from "./verdicts";

/**
 * The fleet without the nodes the reports say are blocked inside: every report naming the node
 * found none of its relays working. Share has no outside check: a node down for everyone goes
 * too, which is right for handing out; a node the reports disagree on stays.
 */
export function withoutBlocked(fleet: Fleet, reports: readonly Report[]): { fleet: Fleet; excluded: string[] } {
  const asChecked = fleet.nodes.map((n) => ({ source: n.source, name: n.name, address: n.address, relays: { any: true } }));
  const blocked = new Set(joinReports(reports, asChecked).nodes.filter((n) => n.verdict === "blocked-inside").map((n) => n.node.address));
  return {
    fleet: {
      ...fleet,
      nodes: fleet.nodes.filter((n) => !blocked.has(n.address)),
      shadowsocksServers: fleet.shadowsocksServers.filter((s) => !blocked.has(s.server)),
    },
    excluded: fleet.nodes.filter((n) => blocked.has(n.address)).map((n) => n.name),
  };
}
