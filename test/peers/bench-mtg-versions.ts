/**
 * mtg 2.2.8 (what nodes run) against 2.1.7 (what the node tests ran before), on loopback, with
 * the TOML lifeline renders for each version and the benchmark's own FakeTLS load client
 * (mtcute's transport, test/nodes/load/load-client.ts). Smaller than `bench:relays` (no booted
 * 512 MiB node): both versions in the same run, samples interleaved, so the ratios hold even on
 * a busy machine where absolute figures do not.
 *
 * Run as root inside a network namespace of its own, so mtg's dial towards Telegram after a
 * handshake goes nowhere (only loopback exists there):
 *   unshare -n sh -c 'ip link set lo up && npx tsx test/peers/bench-mtg-versions.ts'
 * MTG_OLD_TARBALL: the 2.1.7 release tarball (default ../shared/peers/mtg/, beside the checkout).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { telegramProxyLinks } from "../../src/links/telegram";
import { mtgConfigToml, mtgEffectiveConcurrency } from "../../src/relays/mtproto/config";
import { fakeTlsSecret } from "../../src/relays/mtproto/secret";
import { figureOf, formatFigure, ratio } from "../nodes/bench/stats";
import { buildGoPeer, mtgPeer } from "./go-peers";

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);
const holdCount = Number(process.env["BENCH_HOLD"] ?? 6000);
/** lifeline's default `maxConnections` for mtproto. */
const maxConnections = 8192;
const oldTarball = process.env["MTG_OLD_TARBALL"] ?? join(__dirname, "..", "..", "..", "shared", "peers", "mtg", "mtg-2.1.7-linux-amd64.tar.gz");
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Version {
  version: string;
  binary: string;
}

interface Running {
  child: ChildProcess;
  link: string;
  metrics(): Promise<Record<string, number>>;
  rssMiB(): number;
  stop(): Promise<void>;
}

let nextPort = 20443;

async function startMtg(work: string, v: Version): Promise<Running> {
  const port = nextPort++;
  const metricsPort = nextPort++;
  const secret = fakeTlsSecret(randomBytes(16).toString("hex"), "www.fronting.test");
  const toml = mtgConfigToml({ secret, port, maxConnections, dnsOverHttpsIp: "127.0.0.9", version: v.version })
    .replace(`0.0.0.0:${port}`, `127.0.0.1:${port}`)
    .replace("127.0.0.1:3129", `127.0.0.1:${metricsPort}`);
  const config = join(work, `mtg-${v.version}-${port}.toml`);
  writeFileSync(config, toml, { mode: 0o600 });
  const child = spawn(v.binary, ["run", config], { stdio: "ignore" });
  const metrics = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/`)).text();
    const sums: Record<string, number> = {};
    for (const m of text.matchAll(/^(mtg_[a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/gm)) sums[m[1]!] = (sums[m[1]!] ?? 0) + Number(m[2]);
    return sums;
  };
  for (let start = Date.now(); ; await sleep(100)) {
    if (await metrics().then(() => true, () => false)) break;
    if (child.exitCode !== null || Date.now() - start > 60_000) throw new Error(`mtg ${v.version} did not start`);
  }
  return {
    child,
    link: telegramProxyLinks("127.0.0.1", port, secret).tg,
    metrics,
    rssMiB: () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Runs the benchmark's load client; resolves with its first JSON line and the still-running child. */
function load(job: object): Promise<{ result: Record<string, any>; child: ChildProcess }> {
  const child = spawn(process.execPath, [...process.execArgv, join(__dirname, "..", "nodes", "load", "load-client.ts"), JSON.stringify(job)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ result: JSON.parse(line!) as Record<string, any>, child });
    });
    child.once("exit", (code) => reject(new Error(`load client exited ${code} before reporting`)));
  });
}

async function endLoad(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.stdin!.end();
  await Promise.race([exited, sleep(10_000)]);
  child.kill("SIGKILL");
}

interface Sample {
  handshakes: number;
  idleMiB: number;
  held: number;
  limited: number;
  /** Sessions mtg still holds, by its own gauge, right after the ramp and 15 s later (silent clients). */
  openAtEnd: number;
  openLater: number;
  holdingMiB: number;
}

async function sample(work: string, v: Version): Promise<Sample> {
  const mtg = await startMtg(work, v);
  try {
    const idleMiB = mtg.rssMiB();
    const rate = await load({ mode: "faketls-rate", link: mtg.link, seconds: 8, concurrency: 32 });
    rate.child.kill("SIGKILL");
    const before = await mtg.metrics();
    const hold = await load({ mode: "faketls-hold", link: mtg.link, count: holdCount, perSecond: 500 });
    const atEnd = await mtg.metrics();
    const holdingMiB = mtg.rssMiB();
    await sleep(15_000);
    const later = await mtg.metrics();
    await endLoad(hold.child);
    return {
      handshakes: rate.result["perSecond"] as number,
      idleMiB,
      held: hold.result["held"] as number,
      limited: (atEnd["mtg_concurrency_limited"] ?? 0) - (before["mtg_concurrency_limited"] ?? 0),
      openAtEnd: atEnd["mtg_client_connections"] ?? 0,
      openLater: later["mtg_client_connections"] ?? 0,
      holdingMiB,
    };
  } finally {
    await mtg.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(oldTarball)) throw new Error(`mtg 2.1.7 is missing: ${oldTarball} (set MTG_OLD_TARBALL)`);
  const work = mkdtempSync(join(tmpdir(), "bench-mtg-"));
  try {
    execFileSync("tar", ["-xzf", oldTarball, "-C", work]);
    const versions: Version[] = [
      { version: "2.1.7", binary: join(work, "mtg-2.1.7-linux-amd64", "mtg") },
      { version: mtgPeer.version.replace(/^v/, ""), binary: await buildGoPeer(mtgPeer) },
    ];
    const samples = new Map<Version, Sample[]>(versions.map((v) => [v, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const v of versions) samples.get(v)!.push(await sample(work, v));
      log(`round ${round}/${rounds} done`);
    }
    const [old, current] = versions as [Version, Version];
    const fig = (v: Version, key: keyof Sample) => figureOf(samples.get(v)!.map((s) => s[key]));
    console.log(`Measured ${new Date().toISOString().slice(0, 10)}, loopback, ${rounds} interleaved samples per figure, median (lowest-highest).`);
    console.log(`| figure | mtg ${old.version} | mtg ${current.version} | ${current.version} / ${old.version} |`);
    console.log("| --- | --- | --- | --- |");
    for (const v of versions) log(`${v.version}: concurrency ${mtgEffectiveConcurrency(v.version, maxConnections)}`);
    const rows: Array<[string, keyof Sample]> = [
      ["FakeTLS handshakes/s (32 at once, a new connection each)", "handshakes"],
      ["mtg memory idle, MiB", "idleMiB"],
      [`FakeTLS sessions completed of ${holdCount} (500/s)`, "held"],
      ["refused by the concurrency limit", "limited"],
      ["connections mtg holds after the ramp", "openAtEnd"],
      ["of them still held 15 s later (clients silent after FakeTLS)", "openLater"],
      ["mtg memory after the ramp, MiB", "holdingMiB"],
    ];
    for (const [title, key] of rows) {
      const digits = key.endsWith("MiB") ? 1 : 0;
      const shown = fig(old, key).median === 0 ? "-" : ratio(fig(current, key), fig(old, key));
      console.log(`| ${title} | ${formatFigure(fig(old, key), digits)} | ${formatFigure(fig(current, key), digits)} | ${shown} |`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
