/**
 * npm run bench:boot: for each relay kind, boots a node from the local-nodes stack with only
 * that relay and measures the seconds from cloud-init's start to the relay accepting TCP
 * connections through the censor (median of several boots), beside the same figure for a
 * bare cloud-config booted in the same run. Needs Linux and root, like npm run test:nodes.
 */
import { gzipSync } from "node:zlib";
import { relayKindNames } from "../../src/relays/registry";
import { bootNode, cleanupStaleState, createBlackoutNetwork } from "./harness";
import { openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import type { NodeHandle } from "./harness";

const boots = Number(process.env["BENCH_BOOTS"] ?? 3);

/** CLOCK_MONOTONIC in seconds; the node shares the host's kernel and so this clock. */
const monotonicNow = () => Number(process.hrtime.bigint()) / 1e9;

async function unitStartedAt(node: NodeHandle, unit: string): Promise<number> {
  const r = await node.exec("systemctl", ["show", "-p", "InactiveExitTimestampMonotonic", "--value", unit]);
  return Number(r.stdout.trim()) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function relayBoot(kind: string): Promise<{ seconds: number; plainBytes: number; gzipBytes: number }> {
  const s: NodeSession = await openNodeSession({ provider: "digitalocean", name: `bench-${kind}`, relayKinds: [kind] });
  try {
    const port = s.rendered.node.relays[0]!.port;
    // Accepting connections: a TCP connect from the client through the censor succeeds.
    const accepts = async () =>
      (await s.network.execIn("client", "timeout", ["1", "bash", "-c", `exec 3<>/dev/tcp/${s.network.nodeIp}/${port}`])).code === 0;
    await waitUntil(accepts, 300_000, `${kind} relay accepting connections`);
    const readyAt = monotonicNow();
    const start = await unitStartedAt(s.node, "cloud-init-local.service");
    await s.node.waitForCloudInit();
    return { seconds: readyAt - start, plainBytes: s.rendered.userData.length, gzipBytes: gzipSync(s.rendered.userData, { level: 9 }).length };
  } finally {
    await s.close();
  }
}

async function bareBoot(): Promise<number> {
  const network = await createBlackoutNetwork({ openPorts: [443] });
  try {
    const node = await bootNode({ userData: "#cloud-config\n{}\n", network, name: "bench-bare" });
    try {
      await node.waitForCloudInit();
      const done = await node.exec("systemctl", ["show", "-p", "ActiveEnterTimestampMonotonic", "--value", "cloud-final.service"]);
      return Number(done.stdout.trim()) / 1e6 - (await unitStartedAt(node, "cloud-init-local.service"));
    } finally {
      await node.stop();
    }
  } finally {
    await network.destroy();
  }
}

async function main(): Promise<void> {
  await cleanupStaleState();
  const bare: number[] = [];
  const results: Record<string, { seconds: number[]; plainBytes: number; gzipBytes: number }> = {};
  for (let i = 0; i < boots; i++) {
    // Interleaved, so a slow minute on this machine hits every kind alike.
    bare.push(await bareBoot());
    for (const kind of relayKindNames) {
      const r = await relayBoot(kind);
      const entry = (results[kind] ??= { seconds: [], plainBytes: r.plainBytes, gzipBytes: r.gzipBytes });
      entry.seconds.push(r.seconds);
      process.stderr.write(`boot ${i + 1}/${boots}: ${kind} ready ${r.seconds.toFixed(2)} s after cloud-init started\n`);
    }
  }
  const bareMedian = median(bare);
  console.log(`boots per kind: ${boots}; bare cloud-config (no packages): cloud-init done in ${bareMedian.toFixed(2)} s (median)`);
  console.log("| relay | start of cloud-init to relay accepting (median) | ratio to bare cloud-init | user data (plain / gzip) |");
  console.log("| --- | --- | --- | --- |");
  for (const [kind, r] of Object.entries(results)) {
    const m = median(r.seconds);
    console.log(`| ${kind} | ${m.toFixed(2)} s (runs: ${r.seconds.map((x) => x.toFixed(2)).join(", ")}) | ${(m / bareMedian).toFixed(2)}x | ${r.plainBytes} B / ${r.gzipBytes} B |`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
