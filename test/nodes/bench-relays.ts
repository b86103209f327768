/**
 * npm run bench:relays: every relay kind on one node booted as a 1 vCPU / 512 MiB VM, beside
 * the candidates they were chosen over (dante-server and v2ray for SOCKS5, tinyproxy for HTTP).
 *
 * - Requests per second (one tunnel per request) and bulk download throughput, as the median of
 *   BENCH_ROUNDS interleaved samples (default 5) with their spread, and as ratios to the ceiling
 *   of the same path: the same client, node and target with the node's kernel forwarding (DNAT)
 *   in place of a relay. The uncapped direct figure (from the node's network position) is given
 *   for context.
 * - Tunnels held: BENCH_HOLD tunnels (default 9900) opened at 1000 a second, then each proven
 *   to still carry data (an echo), with the relay's and the node's memory at that point.
 * - mtproto (mtg): FakeTLS handshakes per second and held FakeTLS sessions, with mtg's memory.
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { socks5DefaultMaxConnections } from "../../src/relays/socks5";
import { KNOWN_PAGE } from "./harness";
import { startNetnsScript } from "./harness/netns-script";
import { runOk } from "./harness/run-command";
import { startCandidates } from "./bench/candidates";
import { forwardInKernel } from "./bench/kernel-forwarding";
import { figureOf, formatFigure, ratio } from "./bench/stats";
import { endLoad, startLoad } from "./load/load-runner";
import type { Target, Via } from "./load/tunnel";
import { startMirror } from "./support/mirror";
import { mtgPeerVersion } from "./support/mtg-release";
import { mtgMetrics } from "./support/mtproto";
import { openNodeSession, type NodeSession } from "./support/node-session";
import { parseSip002, startSsLocal } from "./support/shadowsocks-client";

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 5);
const holdCount = Number(process.env["BENCH_HOLD"] ?? 9900);
/** Holds tunnels only through relays whose name contains this (a quick look at one relay). */
const holdOnly = process.env["BENCH_HOLD_ONLY"];
// Beside the session's own hosts in the test internet (198.18.3.2-5: page, fronting site, DoH, ACME CA).
const bulk = { host: "198.18.3.6", port: 443, path: "/bulk.bin", mib: 64 };
const echo = { host: "198.18.3.7", port: 443 };
const ceilingPorts = { page: 9001, bulk: 9002, echo: 9003 };
const candidatePorts = { dante: 9010, v2ray: 9011, tinyproxy: 9012 };
const mib = (bytes: number) => bytes / 1024 / 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** One way from a client to the targets: what the load and curl go through. */
interface Path {
  name: string;
  /** Namespace the load runs in. */
  ns: string;
  via: Via;
  /** Targets as seen through this path (the ceiling reaches them at forwarded node ports). */
  page: Target;
  echo: Target;
  bulkUrl: string;
  curl: string[];
  processes?: string;
  unit?: string;
  /** The relay's own user, where another relay runs the same program (squid). */
  user?: string;
}

/** Resident memory of the processes named, only those of `user` when given (two relays run squid). */
async function processRssMiB(s: NodeSession, names: string, user?: string): Promise<number> {
  const r = await s.node.exec("ps", ["-o", "rss=,user:32=", "-C", names]);
  const rows = r.stdout.split("\n").filter(Boolean).map((line) => line.trim().split(/\s+/));
  return rows.filter(([, owner]) => user === undefined || owner === user).reduce((sum, [kb]) => sum + Number(kb), 0) / 1024;
}

async function requestsPerSecond(path: Path): Promise<number> {
  const { result, child } = await startLoad(path.ns, { mode: "requests", via: path.via, target: path.page, seconds: 8, concurrency: 32 });
  child.kill("SIGKILL");
  return result["perSecond"] as number;
}

async function downloadMbit(s: NodeSession, path: Path): Promise<number> {
  const r = await runOk("ip", ["netns", "exec", path.ns, "curl", "--silent", "--max-time", "120", ...path.curl, "--output", "/dev/null", "--write-out", "%{speed_download}", path.bulkUrl], { timeoutMs: 180_000 });
  return (Number(r.stdout) * 8) / 1e6;
}

/** Opens `holdCount` tunnels at 1000/s, proves each carries data, and reads memory while held. */
/** How often the relay's unit was restarted, and how many processes the kernel's OOM killer ended on the node. */
async function relayUnitTrouble(s: NodeSession, path: Path): Promise<{ restarts: number; oomKills: number }> {
  const restarts = path.unit ? Number((await s.node.exec("systemctl", ["show", "-p", "NRestarts", "--value", path.unit])).stdout.trim()) : 0;
  return { restarts, oomKills: await s.node.oomKills() };
}

async function held(s: NodeSession, path: Path) {
  const idle = path.processes ? await processRssMiB(s, path.processes, path.user) : 0;
  const before = await relayUnitTrouble(s, path);
  const { result, child } = await startLoad(path.ns, { mode: "ramp-hold", via: path.via, target: path.echo, count: holdCount, perSecond: 1000 });
  const after = await relayUnitTrouble(s, path);
  if (after.restarts > before.restarts && path.unit) {
    // Why it died, in systemd's words (the relay's own output is discarded).
    log((await s.node.exec("journalctl", ["-u", path.unit, "-n", "8", "--no-pager", "-o", "cat"])).stdout.trim());
  }
  const sample = {
    alive: result["alive"] as number,
    error: result["error"] as string | null,
    // A relay that died under the load (and was restarted by systemd) must say so, not just hold fewer.
    restarts: after.restarts - before.restarts,
    oomKills: after.oomKills - before.oomKills,
    idle,
    relayMiB: path.processes ? await processRssMiB(s, path.processes, path.user) : 0,
    nodeMiB: mib(await s.node.memoryBytes()),
    nodeChargedMiB: mib(await s.node.chargedMemoryBytes()),
  };
  await endLoad(child);
  return sample;
}

/** The SOCKS5 reply to a wrong password, as curl reports it (RFC 1929 wants status != 0, then close). */
async function wrongPasswordAnswer(path: Path): Promise<string> {
  const proxy = path.curl[path.curl.length - 1]!.replace(/:([^:@/]+)@/, ":wrong-password@");
  const r = await runOk("ip", ["netns", "exec", path.ns, "sh", "-c", `curl --silent --show-error --max-time 10 --proxy '${proxy}' http://${path.page.host}:${path.page.port}/ 2>&1; true`]);
  return r.stdout.trim().replace(/^curl: \(\d+\) /, "") || "(nothing)";
}

async function machine(): Promise<string> {
  const model = cpus()[0]?.model ?? "unknown CPU";
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${model}), Debian 12 host, node capped at 1 vCPU / 512 MiB`;
}

async function main(): Promise<void> {
  const s = await openNodeSession({
    provider: "digitalocean",
    name: "bench",
    limits: { memoryMiB: 512, cpus: 1 },
    maxConnectionsPerClient: 1_000_000,
    // The test stack's low socks5 limit is for a test to reach; the benchmark measures the default.
    relayOptions: { socks5: { maxConnections: socks5DefaultMaxConnections } },
    noBandwidthCap: true,
    extraOpenPorts: [...Object.values(ceilingPorts), ...Object.values(candidatePorts)],
  });
  const work = mkdtempSync(join(tmpdir(), "lifeline-bench-"));
  const stops: Array<() => void> = [];
  try {
    await s.node.waitForCloudInit();
    const internetNs = s.network.plan.ns.internet;
    const nodeIp = s.network.nodeIp;
    for (const host of [bulk.host, echo.host]) await runOk("ip", ["-n", internetNs, "addr", "add", `${host}/24`, "dev", "eth0"]);
    writeFileSync(join(work, bulk.path.slice(1)), randomBytes(bulk.mib * 1024 * 1024));
    stops.push((await startMirror(s.network, work, { host: bulk.host, port: bulk.port })).stop);
    const echoServer = await startNetnsScript(internetNs, join(__dirname, "bench", "echo-server.ts"), [echo.host, String(echo.port)], "echo server");
    stops.push(() => echoServer.child.kill("SIGKILL"));
    await forwardInKernel(s.node, [
      { port: ceilingPorts.page, to: { host: s.network.internet.ip, port: 443 } },
      { port: ceilingPorts.bulk, to: bulk },
      { port: ceilingPorts.echo, to: echo },
    ]);
    const http = s.rendered.links["http"]!;
    const https = s.rendered.links["https"]!;
    const socksUrl = new URL(s.rendered.links["socks5"]!["socks5"]!);
    const candidates = await startCandidates(s.node, { user: http["user"]!, pass: http["password"]! }, nodeIp, s.network.plan.internet.nodeIp, candidatePorts);
    const ss = await startSsLocal(s.network, parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!));
    stops.push(ss.stop);

    const client = s.network.plan.ns.client;
    const page: Target = { host: s.network.internet.ip, port: 443 };
    const bulkUrl = `http://${bulk.host}:${bulk.port}${bulk.path}`;
    const through = (name: string, via: Via, curl: string[], processes: string, unit: string, user?: string): Path => ({
      name, ns: client, via, page, echo, bulkUrl, curl, processes, unit, ...(user ? { user } : {}),
    });
    const direct: Path = { name: "direct, from the node's network position (not capped)", ns: s.network.plan.ns.node, via: { kind: "direct" }, page, echo, bulkUrl, curl: [] };
    const ceiling: Path = {
      name: "ceiling: kernel forwarding (DNAT) through the capped node",
      ns: client,
      via: { kind: "direct" },
      page: { host: nodeIp, port: ceilingPorts.page },
      echo: { host: nodeIp, port: ceilingPorts.echo },
      bulkUrl: `http://${nodeIp}:${ceilingPorts.bulk}${bulk.path}`,
      curl: [],
    };
    const relays: Path[] = [
      through("socks5: microsocks (lifeline)", { kind: "socks5", host: nodeIp, port: Number(socksUrl.port), user: socksUrl.username, pass: socksUrl.password }, ["--proxy", socksUrl.href], "microsocks", "lifeline-socks5"),
      through("http: squid (lifeline)", { kind: "http", host: nodeIp, port: Number(http["port"]), user: http["user"]!, pass: http["password"]! }, ["--proxytunnel", "--proxy", http["url"]!], "squid,basic_ncsa_auth", "lifeline-http", "lifeline-http"),
      through(
        "https: squid over TLS (lifeline)",
        { kind: "https", host: nodeIp, port: Number(https["port"]), user: https["user"]!, pass: https["password"]!, ca: s.ca.rootPem },
        ["--proxytunnel", "--proxy-cacert", s.ca.rootFile, "--proxy", https["url"]!],
        "squid,basic_ncsa_auth",
        "lifeline-https",
        "lifeline-https",
      ),
      through("shadowsocks: ss-server (lifeline)", { kind: "socks5", host: "127.0.0.1", port: Number(new URL(ss.socksUrl).port) }, ["--proxy", ss.socksUrl], "ss-server", "lifeline-shadowsocks"),
      ...candidates.map((c) => through(`${c.kind}: ${c.name} (candidate)`, c.via, c.curl, c.processes, c.unit)),
    ];
    const paths = [direct, ceiling, ...relays];
    for (const path of paths) {
      const check = await runOk("ip", ["netns", "exec", path.ns, "curl", "--silent", "--max-time", "10", ...path.curl, `http://${path.page.host}:${path.page.port}/`]);
      if (check.stdout !== KNOWN_PAGE) throw new Error(`${path.name} does not serve: ${check.stdout}`);
    }

    const rps = new Map<Path, number[]>(paths.map((p) => [p, []]));
    const mbit = new Map<Path, number[]>(paths.map((p) => [p, []]));
    for (let round = 1; round <= rounds; round++) {
      // Interleaved: a slow minute on this machine hits every path alike.
      for (const path of paths) {
        rps.get(path)!.push(await requestsPerSecond(path));
        mbit.get(path)!.push(await downloadMbit(s, path));
      }
      log(`round ${round}/${rounds} done`);
    }
    const socksAnswers = new Map<Path, string>();
    for (const path of relays.filter((p) => p.via.kind === "socks5" && p.via.host === nodeIp)) socksAnswers.set(path, await wrongPasswordAnswer(path));

    // mtg: FakeTLS handshakes per second (mtcute's transport), then held sessions.
    const link = s.rendered.links["mtproto"]!["telegram"]!;
    const mtgIdle = await processRssMiB(s, "mtg");
    const handshakes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const { result, child } = await startLoad(client, { mode: "faketls-rate", link, seconds: 8, concurrency: 32 });
      child.kill("SIGKILL");
      handshakes.push(result["perSecond"] as number);
    }
    const mtgAfterRate = await processRssMiB(s, "mtg");
    const limitedBefore = (await mtgMetrics(s.node))["mtg_concurrency_limited"] ?? 0;
    const mtgHold = await startLoad(client, { mode: "faketls-hold", link, count: 6000, perSecond: 500 });
    const mtgHeld = { held: mtgHold.result["held"] as number, relayMiB: await processRssMiB(s, "mtg"), nodeMiB: mib(await s.node.memoryBytes()), limited: ((await mtgMetrics(s.node))["mtg_concurrency_limited"] ?? 0) - limitedBefore };
    await endLoad(mtgHold.child);

    const holds = new Map<Path, Awaited<ReturnType<typeof held>>>();
    holds.set(ceiling, await held(s, ceiling));
    for (const path of relays.filter((p) => holdOnly === undefined || p.name.includes(holdOnly))) {
      log(`holding ${holdCount} through ${path.name}`);
      holds.set(path, await held(s, path));
      // Each relay keeps the memory it grew to: stop it, so the next has the same 512 MiB.
      await s.node.exec("systemctl", ["stop", path.unit!]);
      await new Promise((r) => setTimeout(r, 5_000));
    }

    const ceilingRps = figureOf(rps.get(ceiling)!);
    const ceilingMbit = figureOf(mbit.get(ceiling)!);
    const directRps = figureOf(rps.get(direct)!);
    const directMbit = figureOf(mbit.get(direct)!);
    const lines = [
      `Measured ${await machine()}; ${rounds} interleaved samples per figure, median (lowest-highest).`,
      `Ceiling (kernel DNAT through the capped node): ${formatFigure(ceilingRps)} requests/s, ${formatFigure(ceilingMbit)} Mbit/s. ` +
        `Direct from the node's position, not capped: ${formatFigure(directRps)} requests/s, ${formatFigure(directMbit)} Mbit/s.`,
      "",
      `| server | requests/s | ratio to ceiling | download Mbit/s | ratio to ceiling | tunnels alive of ${holdCount} | memory idle / holding (server) | node memory holding: processes / all the limit counts | wrong SOCKS password |`,
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...relays.filter((p) => holds.has(p)).map((p) => {
        const r = figureOf(rps.get(p)!);
        const m = figureOf(mbit.get(p)!);
        const h = holds.get(p)!;
        return `| ${p.name} | ${formatFigure(r)} | ${ratio(r, ceilingRps)} | ${formatFigure(m)} | ${ratio(m, ceilingMbit)} | ${h.alive}${h.error ? ` (${h.error.slice(0, 60)})` : ""}${h.restarts ? `; relay restarted ${h.restarts}x` : ""}${h.oomKills ? `; ${h.oomKills} OOM kills` : ""} | ${h.idle.toFixed(1)} / ${h.relayMiB.toFixed(0)} MiB | ${h.nodeMiB.toFixed(0)} / ${h.nodeChargedMiB.toFixed(0)} MiB | ${socksAnswers.get(p) ?? "-"} |`;
      }),
      `| ceiling (kernel DNAT) | ${formatFigure(ceilingRps)} | 1.00x | ${formatFigure(ceilingMbit)} | 1.00x | ${holds.get(ceiling)!.alive} | - | ${holds.get(ceiling)!.nodeMiB.toFixed(0)} / ${holds.get(ceiling)!.nodeChargedMiB.toFixed(0)} MiB | - |`,
      "",
      `mtproto (mtg ${mtgPeerVersion}): ${formatFigure(figureOf(handshakes))} FakeTLS handshakes/s (mtcute, 32 at once, a new connection each); ` +
        `mtg ${mtgIdle.toFixed(1)} MiB idle, ${mtgAfterRate.toFixed(1)} MiB after them. Held FakeTLS sessions: ${mtgHeld.held} of 6000 (${mtgHeld.limited} refused by mtg's concurrency limit), mtg ${mtgHeld.relayMiB.toFixed(0)} MiB, node ${mtgHeld.nodeMiB.toFixed(0)} MiB.`,
    ];
    console.log(lines.join("\n"));
    writeFileSync(join(process.cwd(), "bench-relays.json"), JSON.stringify({ rps: [...rps].map(([p, v]) => [p.name, v]), mbit: [...mbit].map(([p, v]) => [p.name, v]), handshakes, holds: [...holds].map(([p, v]) => [p.name, v]), mtgHeld }, null, 1));
  } finally {
    for (const stop of stops) stop();
    await s.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
