/**
 * npm run bench:boot: for each relay kind, boots a node from the local-nodes stack with only
 * that relay, BENCH_BOOTS times (default 3), interleaved with a baseline cloud-config that makes
 * the same apt round trip (`package_update` and one small package) and nothing else.
 *
 * Per boot: seconds from cloud-init's start to the relay accepting TCP connections through the
 * censor; how long cloud-init's package module took (the Debian archive's share, which no code
 * of lifeline's can shorten); and lifeline's own work after it, from the end of the package
 * module to the relay accepting. Needs Linux and root, like npm run test:nodes.
 * BENCH_KINDS (comma-separated) boots only those kinds, beside the baseline.
 */
import { gzipSync } from "node:zlib";
import { relayKindNames } from "../../src/relays/registry";
import { bootNode, cleanupStaleState, createBlackoutNetwork, type NodeHandle } from "./harness";
import { figureOf, formatFigure } from "./bench/stats";
import { openNodeSession, waitUntil } from "./support/node-session";
import { vlessTestRelay } from "./support/xray-release";

const boots = Number(process.env["BENCH_BOOTS"] ?? 3);
const kinds = process.env["BENCH_KINDS"]?.split(",") ?? relayKindNames;
const aptBaseline = "#cloud-config\npackage_update: true\npackages: [tree]\n";

/** A cloud-init log timestamp (`2026-11-25 14:00:00,123`, the node's clock, UTC) in ms. */
const logTime = (stamp: string) => Date.parse(`${stamp.replace(" ", "T").replace(",", ".")}Z`);

/** When cloud-init started, and when its package module (apt update + installs) ended, in ms. */
async function cloudInitMarks(node: NodeHandle): Promise<{ start: number; packagesStart: number; packagesEnd: number }> {
  const text = (await node.exec("cat", ["/var/log/cloud-init.log"])).stdout;
  const stamp = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`cloud-init.log has no line matching ${re}`);
    return logTime(m[1]!);
  };
  return {
    start: stamp(/^(\S+ \S+) - util\.py\[DEBUG\]: Cloud-init v\. .* running 'init-local'/m),
    packagesStart: stamp(/^(\S+ \S+) - handlers\.py\[DEBUG\]: start: modules-\w+\/config-package[-_]update[-_]upgrade[-_]install/m),
    packagesEnd: stamp(/^(\S+ \S+) - handlers\.py\[DEBUG\]: finish: modules-\w+\/config-package[-_]update[-_]upgrade[-_]install/m),
  };
}

/**
 * What apt changed during this boot (its history log also holds the image's own build, before
 * `since`): how many packages it newly installed, and which it upgraded.
 */
async function aptChanges(node: NodeHandle, since: number): Promise<{ installed: number; upgraded: string[] }> {
  const text = (await node.exec("sh", ["-c", "cat /var/log/apt/history.log 2>/dev/null || true"])).stdout;
  const entries = text.split(/\n\s*\n/).filter((entry) => {
    const start = /^Start-Date: (\S+)\s+(\S+)$/m.exec(entry);
    // The node's clock is UTC.
    return start !== null && Date.parse(`${start[1]}T${start[2]}Z`) >= since - 1000;
  });
  // Each field lists "name:arch (version)" or "name:arch (old, new)", comma-separated.
  const packages = (field: string) =>
    entries.flatMap((entry) => [...(new RegExp(`^${field}: (.*)$`, "m").exec(entry)?.[1] ?? "").matchAll(/([^\s,]+?)(?::\w+)? \([^)]*\)/g)].map((m) => m[1]!));
  return { installed: packages("Install").length, upgraded: packages("Upgrade") };
}

/** Seconds each setup step took, as setup.sh reports them in cloud-init's output. */
async function stepSeconds(node: NodeHandle, kind: string): Promise<{ host: number; relay: number }> {
  const text = (await node.exec("cat", ["/var/log/cloud-init-output.log"])).stdout;
  const steps = [...text.matchAll(/^lifeline: (\S+) done in ([\d.]+) s$/gm)].map((m) => ({ name: m[1]!, seconds: Number(m[2]) }));
  const host = steps.find((st) => st.name === "00-host");
  const relay = steps.find((st) => st.name.endsWith(`-${kind}`));
  if (!host || !relay) throw new Error(`expected the host step and the ${kind} step in cloud-init's output, found ${JSON.stringify(steps)}`);
  return { host: host.seconds, relay: relay.seconds };
}

interface BootTimes {
  total: number;
  installed: number;
  upgraded: string[];
  apt: number;
  /** From the end of the package module to the relay accepting (or cloud-init done, for the baseline). */
  afterApt: number;
}

async function relayBoot(kind: string): Promise<BootTimes & { hostStep: number; relayStep: number; plainBytes: number; gzipBytes: number }> {
  const s = await openNodeSession({
    provider: "digitalocean",
    name: `bench-${kind}`,
    relayKinds: [kind],
    // vless is not in the local-nodes stack: the Xray built for the tests, on 443 like mtproto.
    ...(kind === "vless" ? { extraRelays: async (mirrorDir: string) => [await vlessTestRelay(mirrorDir, 443)] } : {}),
  });
  try {
    const port = s.rendered.node.relays[0]!.port;
    // Accepting connections: a TCP connect from the client through the censor succeeds.
    const accepts = async () =>
      (await s.network.execIn("client", "timeout", ["1", "bash", "-c", `exec 3<>/dev/tcp/${s.network.nodeIp}/${port}`])).code === 0;
    await waitUntil(accepts, 300_000, `${kind} relay accepting connections`);
    const readyAt = Date.now();
    await s.node.waitForCloudInit();
    const marks = await cloudInitMarks(s.node);
    return {
      ...(await aptChanges(s.node, marks.start)),
      ...(({ host, relay }) => ({ hostStep: host, relayStep: relay }))(await stepSeconds(s.node, kind)),
      total: (readyAt - marks.start) / 1000,
      apt: (marks.packagesEnd - marks.packagesStart) / 1000,
      afterApt: (readyAt - marks.packagesEnd) / 1000,
      plainBytes: s.rendered.userData.length,
      gzipBytes: gzipSync(s.rendered.userData, { level: 9 }).length,
    };
  } finally {
    await s.close();
  }
}

async function baselineBoot(): Promise<BootTimes> {
  const network = await createBlackoutNetwork({ openPorts: [443] });
  try {
    const node = await bootNode({ userData: aptBaseline, network, name: "bench-apt" });
    try {
      await node.waitForCloudInit();
      const done = (await node.exec("sh", ["-c", "date -u -d \"$(systemctl show -p ActiveEnterTimestamp --value cloud-final.service)\" +%s%3N"])).stdout.trim();
      const marks = await cloudInitMarks(node);
      return { ...(await aptChanges(node, marks.start)), total: (Number(done) - marks.start) / 1000, apt: (marks.packagesEnd - marks.packagesStart) / 1000, afterApt: (Number(done) - marks.packagesEnd) / 1000 };
    } finally {
      await node.stop();
    }
  } finally {
    await network.destroy();
  }
}

async function main(): Promise<void> {
  await cleanupStaleState();
  const baseline: BootTimes[] = [];
  const results: Record<string, { times: Array<BootTimes & { hostStep: number; relayStep: number }>; plainBytes: number; gzipBytes: number }> = {};
  for (let i = 0; i < boots; i++) {
    // Interleaved, so a slow minute on this machine (or of the archive) hits every kind alike.
    baseline.push(await baselineBoot());
    for (const kind of kinds) {
      const r = await relayBoot(kind);
      (results[kind] ??= { times: [], plainBytes: r.plainBytes, gzipBytes: r.gzipBytes }).times.push(r);
      process.stderr.write(`boot ${i + 1}/${boots}: ${kind} accepting ${r.total.toFixed(2)} s after cloud-init started; apt ${r.apt.toFixed(2)} s; lifeline after apt ${r.afterApt.toFixed(2)} s (host step ${r.hostStep} s, relay step ${r.relayStep} s); apt installed ${r.installed} packages, upgraded [${r.upgraded.join(" ")}]\n`);
    }
  }
  const base = { total: figureOf(baseline.map((b) => b.total)), apt: figureOf(baseline.map((b) => b.apt)) };
  const changes = (t: BootTimes[]) => `${Math.max(...t.map((b) => b.installed))} / ${Math.max(...t.map((b) => b.upgraded.length))}`;
  console.log(`${boots} boots per kind, medians (lowest-highest). Baseline: a cloud-config with package_update and one small package: ` +
    `cloud-init done in ${formatFigure(base.total, 2)} s, of which apt ${formatFigure(base.apt, 2)} s; apt installed / upgraded ${changes(baseline)} packages.`);
  console.log("| relay | cloud-init start to relay accepting | ratio to the apt baseline | apt (package module) | packages apt installed / upgraded | lifeline's own work after apt | of which host step / relay step | user data (plain / gzip) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const [kind, r] of Object.entries(results)) {
    const total = figureOf(r.times.map((t) => t.total));
    console.log(
      `| ${kind} | ${formatFigure(total, 2)} s | ${(total.median / base.total.median).toFixed(2)}x | ${formatFigure(figureOf(r.times.map((t) => t.apt)), 2)} s | ${changes(r.times)} | ` +
        `${formatFigure(figureOf(r.times.map((t) => t.afterApt)), 2)} s | ` +
        `${formatFigure(figureOf(r.times.map((t) => t.hostStep)), 1)} s / ${formatFigure(figureOf(r.times.map((t) => t.relayStep)), 1)} s | ${r.plainBytes} B / ${r.gzipBytes} B |`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
