import { formatTable } from "./table";
import type { LinkCheck } from "../check/check-fleet";

const ms = (value: number | undefined) => (value === undefined ? "-" : `${Math.round(value)} ms`);

/** One progress line, for stderr while the check runs. */
export function progressLine(result: LinkCheck, done: number, total: number): string {
  return `[${done}/${total}] ${result.node} ${result.relay}: ${result.ok ? "ok" : "FAILED"}`;
}

function counts(results: readonly LinkCheck[]): string {
  const failed = results.filter((r) => !r.ok).length;
  return failed === 0 ? `all ${results.length} links healthy` : `${failed} of ${results.length} links FAILED`;
}

/** The table: node, relay, status and latency (TCP connect), then the handshake time and why. */
export function checkTable(results: readonly LinkCheck[]): string {
  const rows = results.map((r) => [r.node, r.address, r.relay, r.port === undefined ? "-" : String(r.port), r.ok ? "ok" : "FAILED", ms(r.connectMs), ms(r.handshakeMs), r.detail]);
  return `${formatTable([["NODE", "ADDRESS", "RELAY", "PORT", "STATUS", "LATENCY", "HANDSHAKE", "DETAIL"], ...rows])}\n\n${counts(results)}`;
}

/**
 * What the table cannot say: which failures were something else answering, and that a pass
 * from here is no pass from inside the country.
 */
export function checkNotes(results: readonly LinkCheck[]): string[] {
  const foreign = results.filter((r) => r.somethingElse);
  return [
    ...(foreign.length > 0
      ? [
          `something else answered instead of the relay on ${foreign.length} link${foreign.length === 1 ? "" : "s"} ` +
            `(${foreign.map((r) => `${r.node} ${r.relay}`).join(", ")}): a transparent proxy, a captive portal or a filtering firewall ` +
            "on this machine's network, as lifeline scan calls a port intercepted. The relay itself may be fine: check again from another network.",
        ]
      : []),
    "note: this checks the links from this machine's network only. A pass here does not prove a node works from inside the country, " +
      "where the censor sits on the path: ask someone inside to try the links, or scan from inside (README, \"Finding the open ports\").",
  ];
}

export function checkJson(results: readonly LinkCheck[]): string {
  const round = (value: number | undefined) => (value === undefined ? null : Math.round(value * 10) / 10);
  return JSON.stringify(
    {
      checked: results.length,
      healthy: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
      links: results.map((r) => ({
        source: r.source,
        node: r.node,
        address: r.address,
        relay: r.relay,
        transport: r.transport,
        port: r.port ?? null,
        status: r.ok ? "ok" : "failed",
        latencyMs: round(r.connectMs),
        handshakeMs: round(r.handshakeMs),
        detail: r.detail,
        somethingElseAnswered: r.somethingElse === true,
      })),
    },
    null,
    2,
  );
}
