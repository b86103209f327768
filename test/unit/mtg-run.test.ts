import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { pinnedMtgRelease } from "../../src/relays/mtproto/release";
import { buildGoPeer, mtgPeer } from "../peers/go-peers";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { planOf } from "./support/load";

// The real mtg nodes run (the pinned release, built from its tagged Go module) on the TOML a
// node's user data carries, on loopback. Only the addresses change: the proxy and its counters
// move to free loopback ports, and DNS-over-HTTPS to a loopback address where nothing answers,
// so nothing leaves this machine.

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Polls until `check` holds; the cap only bounds a broken run. */
async function until<T>(check: () => Promise<T | undefined>, what: string, capMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - start > capMs) throw new Error(`${what}: not within ${capMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`mtg ${pinnedMtgRelease.version} runs the config lifeline renders`, () => {
  const maxConnections = 64;
  let work: string;
  let mtg: ChildProcess;
  let output = "";
  let proxyPort: number;
  let metricsPort: number;
  const held: Socket[] = [];

  const metrics = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/`)).text();
    const sums: Record<string, number> = {};
    for (const m of text.matchAll(/^(mtg_[a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/gm)) sums[m[1]!] = (sums[m[1]!] ?? 0) + Number(m[2]);
    return sums;
  };

  beforeAll(async () => {
    const binary = await buildGoPeer(mtgPeer);
    const fleet = baseFleet();
    fleet.relays[0].options = { maxConnections, dnsOverHttpsIp: "127.0.0.9" };
    const document = parse(renderCloudConfig({ node: planOf(fleet).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets }));
    const rendered: string = document.write_files.find((f: { path: string }) => f.path === "/etc/lifeline/mtproto.toml").content;
    proxyPort = await freePort();
    metricsPort = await freePort();
    const onLoopback = rendered.replace('bind-to = "0.0.0.0:443"', `bind-to = "127.0.0.1:${proxyPort}"`).replace("127.0.0.1:3129", `127.0.0.1:${metricsPort}`);
    expect(onLoopback).not.toBe(rendered);
    expect(onLoopback).toContain(`concurrency = ${maxConnections}`);
    work = mkdtempSync(join(tmpdir(), "mtg-run-"));
    writeFileSync(join(work, "mtproto.toml"), onLoopback, { mode: 0o600 });
    mtg = spawn(binary, ["run", join(work, "mtproto.toml")], { stdio: ["ignore", "pipe", "pipe"] });
    mtg.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    mtg.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await until(async () => (mtg.exitCode === null ? ((await metrics())["mtg_concurrency_limited"] !== undefined || undefined) : undefined), "mtg serving its counters");
  }, 600_000);

  afterAll(() => {
    for (const s of held) s.destroy();
    mtg?.kill("SIGKILL");
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("starts with it and keeps running, with no error in its output", () => {
    expect(mtg.exitCode).toBeNull();
    expect(output).not.toMatch(/error|fatal|panic|cannot/i);
  });

  it("honours `concurrency`: past maxConnections it closes the next connection and counts it", async () => {
    expect((await metrics())["mtg_concurrency_limited"]).toBe(0);
    // Connections that never send a ClientHello hold a worker each, until mtg's handshake timeout.
    for (let i = 0; i < maxConnections; i++) {
      const s = connect(proxyPort, "127.0.0.1");
      s.on("error", () => undefined);
      held.push(s);
    }
    await until(async () => ((await metrics())["mtg_client_connections"] === maxConnections || undefined), `mtg holding ${maxConnections} connections`);
    const extra = connect(proxyPort, "127.0.0.1");
    extra.on("error", () => undefined);
    held.push(extra);
    // Closed by mtg at once, well before its 10 s handshake timeout would.
    const closedAfter = await new Promise<number>((resolve) => {
      const start = Date.now();
      extra.on("close", () => resolve(Date.now() - start));
    });
    expect(closedAfter).toBeLessThan(5_000);
    await until(async () => ((await metrics())["mtg_concurrency_limited"] === 1 || undefined), "mtg counting the refused connection");
    expect(mtg.exitCode).toBeNull();
  });
});
