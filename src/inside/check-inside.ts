import { randomBytes } from "node:crypto";
import { checkFleet, type LinkCheck } from "../check/check-fleet";
import type { FleetNode } from "../fleet-input/types";
import type { FoundNode } from "./found-links";
import { nodeTag, type RelayStatus, type Report } from "./report-code";
import type { ReportedKind } from "./relay-kinds";

export interface InsideOptions {
  target: string;
  timeoutMs: number;
  concurrency: number;
  /** Connect to loopback and private addresses too (tests, a lab): off, as a page can be crafted. */
  allowPrivate: boolean;
  now: () => number;
}

export interface InsideResult {
  /** Position of the node in what was read (1 = first), as the person's table shows it. */
  server: number;
  host: string;
  kind: ReportedKind;
  port: number;
  status: RelayStatus;
  ms?: number;
}

/** ok; no connection (the censor drops or resets the address); or connected and the handshake failed. */
function statusOf(check: LinkCheck): RelayStatus {
  if (check.ok) return "ok";
  return check.connectMs === undefined ? "no-connection" : "handshake-failed";
}

/**
 * Runs `check`'s own probe for every relay found, through `checkFleet`, so inside and outside
 * test exactly the same handshakes. A found node becomes a fleet node: its relays carry the
 * fields the probes read.
 */
export async function checkFromInside(nodes: readonly FoundNode[], options: InsideOptions, progress: (done: number, total: number) => void): Promise<InsideResult[]> {
  const fleet = nodes.map(
    (node, i) =>
      ({
        source: "",
        name: String(i + 1),
        provider: "",
        region: "",
        address: node.host,
        relays: node.relays.map((relay) => ({ kind: relay.kind, transport: "encrypted", ...relay.fields })),
      }) as unknown as FleetNode,
  );
  const ports = nodes.flatMap((node) => node.relays.map((relay) => relay.port));
  const checks = await checkFleet(
    fleet,
    {
      target: { host: options.target, tunnelPort: 443, requestPort: 80 },
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      allowPrivate: options.allowPrivate,
      unixSeconds: () => Math.floor(options.now() / 1000),
    },
    (_, done, total) => progress(done, total),
  );
  return checks.map((check, i) => {
    const ms = check.connectMs === undefined ? undefined : check.connectMs + (check.handshakeMs ?? 0);
    return { server: Number(check.node), host: check.address, kind: check.relay as ReportedKind, port: ports[i]!, status: statusOf(check), ...(ms === undefined ? {} : { ms }) };
  });
}

/** The report for the code: per node its salted tag and every relay's status and time. */
export function reportOf(results: readonly InsideResult[], network: string, checkedAt: number, salt = randomBytes(3).toString("hex")): Omit<Report, "version"> {
  const hosts = [...new Set(results.map((r) => r.host))];
  return {
    salt,
    checkedAt,
    network,
    nodes: hosts.map((host) => ({
      tag: nodeTag(salt, host),
      relays: results.filter((r) => r.host === host).map((r) => ({ kind: r.kind, status: r.status, ...(r.ms === undefined ? {} : { ms: r.ms }) })),
    })),
  };
}
