/**
 * npm run bench:scan: the wall time of a full 1-65535 scan of a probe booted from its real user
 * data, through a censor that admits random ports, intercepts others and drops 1-5 % of packets
 * each way (test/nodes/support/scan-censor.ts), by the one-file scanner at a raised rate and by
 * Debian's `nmap -p- -T4` in the same run against the same censor. BENCH_SCAN_RUNS rounds
 * (default 3), each with a new random censor; BENCH_SCAN_RATE sets the scanner's --rate (default
 * 5000). Accuracy is counted against what the censor really did. BENCH_SCAN_DEFAULT=1 also times
 * one scan at the default, gentle rate (the time the README documents). Needs Linux and root.
 */
import { figureOf, formatFigure, ratio } from "./bench/stats";
import { openProbeSession, type ProbeSession } from "./support/probe-session";
import { applyCensor, chooseCensor, type CensorChoice } from "./support/scan-censor";

const runs = Number(process.env["BENCH_SCAN_RUNS"] ?? 3);
const rate = process.env["BENCH_SCAN_RATE"] ?? "5000";

interface Accuracy {
  /** Reported open but not admitted (for nmap: every intercepted port it calls open). */
  falsePositives: number;
  /** Admitted but not reported open. */
  misses: number;
}

function accuracy(open: readonly number[], choice: CensorChoice): Accuracy {
  const admitted = new Set(choice.admitted);
  return { falsePositives: open.filter((p) => !admitted.has(p)).length, misses: choice.admitted.filter((p) => !open.includes(p)).length };
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

async function lifelineScan(s: ProbeSession, rateArgs: readonly string[] = ["--rate", rate]): Promise<number[]> {
  const r = await s.scan([s.network.nodeIp, "--json", "--no-progress", ...rateArgs]);
  if (r.code !== 0) throw new Error(`lifeline scan exited with ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout).open;
}

async function nmapScan(s: ProbeSession): Promise<number[]> {
  const r = await s.network.execIn("client", "nmap", ["-p-", "-T4", "-n", "-Pn", "-oG", "-", s.network.nodeIp], { timeoutMs: 3_600_000 });
  if (r.code !== 0) throw new Error(`nmap exited with ${r.code}: ${r.stderr}`);
  return [...r.stdout.matchAll(/(\d+)\/open\/tcp/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const s = await openProbeSession();
  const ours: Array<{ seconds: number; accuracy: Accuracy }> = [];
  const nmaps: Array<{ seconds: number; accuracy: Accuracy }> = [];
  try {
    for (let i = 0; i < runs; i++) {
      const choice = chooseCensor();
      await applyCensor(s.network, choice);
      // Alternating who goes first, so a slow minute on this shared machine hits both alike.
      const order = i % 2 === 0 ? ["lifeline", "nmap"] : ["nmap", "lifeline"];
      for (const who of order) {
        const r = await timed(() => (who === "lifeline" ? lifelineScan(s) : nmapScan(s)));
        const entry = { seconds: r.seconds, accuracy: accuracy(r.value, choice) };
        (who === "lifeline" ? ours : nmaps).push(entry);
        process.stderr.write(
          `run ${i + 1}/${runs} (seed ${choice.seed}, ${choice.lossPercent} % loss, ${choice.admitted.length} admitted, ${choice.intercepted.length} intercepted): ` +
            `${who} ${r.seconds.toFixed(1)} s, ${entry.accuracy.falsePositives} false positives, ${entry.accuracy.misses} misses\n`,
        );
      }
    }
    if (process.env["BENCH_SCAN_DEFAULT"] === "1") {
      const choice = chooseCensor();
      await applyCensor(s.network, choice);
      const r = await timed(() => lifelineScan(s, []));
      const a = accuracy(r.value, choice);
      console.log(`At the default rate: ${r.seconds.toFixed(1)} s for 1-65535 (${choice.lossPercent} % loss), ${a.falsePositives} false positives, ${a.misses} misses.`);
    }
  } finally {
    await s.close();
  }
  const ourTime = figureOf(ours.map((r) => r.seconds));
  const nmapTime = figureOf(nmaps.map((r) => r.seconds));
  const sum = (rows: typeof ours, key: keyof Accuracy) => rows.reduce((n, r) => n + r.accuracy[key], 0);
  console.log(`${runs} runs, full 1-65535 scans, medians (lowest-highest):`);
  console.log("| scanner | wall time | ratio to nmap | false positives (all runs) | misses (all runs) |");
  console.log("| --- | --- | --- | --- | --- |");
  console.log(`| lifeline scan --rate ${rate} | ${formatFigure(ourTime, 1)} s | ${ratio(ourTime, nmapTime)} | ${sum(ours, "falsePositives")} | ${sum(ours, "misses")} |`);
  console.log(`| nmap -p- -T4 | ${formatFigure(nmapTime, 1)} s | 1.00x | ${sum(nmaps, "falsePositives")} | ${sum(nmaps, "misses")} |`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
