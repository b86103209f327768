import { join } from "node:path";
import type { BlackoutNetwork, NodeHandle } from "../harness";
import { startNetnsScript } from "../harness/netns-script";

export interface MtprotoAttempt {
  /** mtcute completed the FakeTLS handshake: the server proved it holds the link's secret. */
  ok: boolean;
  error?: string;
  clientHello: Buffer;
  sent: Buffer;
  received: Buffer;
  /** With `replay`: what came back when the same ClientHello was sent again on a new connection. */
  replayReceived?: Buffer;
}

async function clientScript<T>(network: BlackoutNetwork, script: string, args: string[], timeoutMs: number): Promise<T> {
  const { child, firstLine } = await startNetnsScript(network.plan.ns.client, join(__dirname, script), args, script, timeoutMs);
  child.kill("SIGKILL");
  return JSON.parse(firstLine) as T;
}

/**
 * Connects mtcute's MTProxy transport from the client, through the censor, with this link.
 * `full`: FakeTLS, then obfuscated2 for DC 2, then waits while mtg dials Telegram (8 s);
 * `handshake`: FakeTLS only; `replay`: full, plus the same ClientHello again at once on a
 * second connection.
 */
export async function mtprotoConnect(network: BlackoutNetwork, link: string, mode: "full" | "handshake" | "replay" = "full"): Promise<MtprotoAttempt> {
  type Result = { ok: boolean; error?: string; clientHello: string; sent: string; received: string; replayReceived?: string };
  const r = await clientScript<Result>(network, "mtproto-client.ts", [link, mode], 60_000);
  return {
    ok: r.ok,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.replayReceived !== undefined ? { replayReceived: Buffer.from(r.replayReceived, "hex") } : {}),
    clientHello: Buffer.from(r.clientHello, "hex"),
    sent: Buffer.from(r.sent, "hex"),
    received: Buffer.from(r.received, "hex"),
  };
}

/** Sends raw bytes from the client to host:port and returns every byte that came back. */
export async function tcpProbe(network: BlackoutNetwork, host: string, port: number, bytes: Buffer, ms = 3000): Promise<{ outcome: string; received: Buffer }> {
  const r = await clientScript<{ outcome: string; received: string }>(network, "tcp-probe.ts", [host, String(port), bytes.toString("hex"), String(ms)], ms + 30_000);
  return { outcome: r.outcome, received: Buffer.from(r.received, "hex") };
}

/** The same link with another key: right host and format, wrong secret. */
export function withWrongSecret(link: string): string {
  return link.replace(/secret=ee([0-9a-f]{32})/, (_m, key: string) => `secret=ee${key.replace(/^./, (c) => (c === "0" ? "1" : "0"))}`);
}

/** mtg's own Prometheus counters on the node (loopback only), summed over their labels. */
export async function mtgMetrics(node: NodeHandle): Promise<Record<string, number>> {
  const r = await node.exec("curl", ["--silent", "--max-time", "5", "http://127.0.0.1:3129/"]);
  if (r.code !== 0) throw new Error(`mtg metrics unreachable: ${r.stderr}`);
  const sums: Record<string, number> = {};
  for (const line of r.stdout.split("\n")) {
    const m = /^(mtg_[a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m) sums[m[1]!] = (sums[m[1]!] ?? 0) + Number(m[3]);
  }
  return sums;
}

/** True when the node's mtg completes a FakeTLS handshake for this link: "it serves". */
export async function servesMtproto(network: BlackoutNetwork, link: string): Promise<boolean> {
  return (await mtprotoConnect(network, link, "handshake")).ok;
}
