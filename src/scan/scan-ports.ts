import type { Attempt } from "./attempt";
import { runPaced, type Pace } from "./paced-pool";
import { PortRecords, type PortVerdict } from "./verdicts";

export interface ScanOptions extends Pace {
  ports: readonly number[];
  attempt: Attempt;
  /** Rounds of re-tests after the sweep, each at least `gapMs` after the last. */
  retestRounds: number;
  gapMs: number;
  /** Silent or refused ports re-tested to check the sweep missed nothing: this share, at least `minSilentSample`. */
  silentSampleShare: number;
  minSilentSample: number;
  /** Shuffles the order ports are tried in (default: random). */
  shuffle?: <T>(items: T[]) => T[];
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Called once when the first tries of the sweep met only ICMP errors (with this code). The scan
   * goes on: a censor may answer blocked ports the same way and still leave a few open.
   */
  onOnlyUnreachable?: (code: string) => void;
}

export interface ScanProgress {
  phase: "sweep" | "retest" | "resweep";
  done: number;
  total: number;
  open: number;
  intercepted: number;
  refused: number;
}

export interface ScanResult {
  tested: number;
  open: number[];
  intercepted: number[];
  refused: number[];
  silent: number;
  /** Silent or refused ports re-tested, and those of them that reached something after all. */
  silentSample: { tested: number; answered: number[] };
  /** Whether every silent port was tried again because the sample found a miss. */
  resweep: boolean;
  tries: number;
  seconds: number;
  /** Some answer looked like the probe's but did not verify: likely a wrong token. */
  probeShapedWrongAnswer: boolean;
  /** Nothing open or intercepted, and every answer was an ICMP error with this code. */
  unreachableCode: string | undefined;
}

function randomShuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Nothing reached the port's far end: silent, or refused. */
const isClosed = (verdict: PortVerdict) => verdict === "silent" || verdict === "refused";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Tries in the sweep before warning that the network reports the address unreachable.
const reachabilityCheckTries = 256;

/**
 * Finds which ports reach the probe: a paced sweep of every port in random order, then rounds of
 * re-tests spaced over seconds, of every candidate (any port that was not silent) and of a sample
 * of silent ports. A sample port that answers means the sweep lost some: every silent port is
 * then swept again. A port is open only once the probe has proven its answer (see verdicts.ts).
 */
export async function scanPorts(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const records = new PortRecords();
  const shuffle = options.shuffle ?? randomShuffle;
  let tries = 0;
  const counts = (ports: readonly number[]) => ({
    open: records.withVerdict(ports, "open").length,
    intercepted: records.withVerdict(ports, "intercepted").length,
    refused: records.withVerdict(ports, "refused").length,
  });
  const live = { open: 0, intercepted: 0, refused: 0 };

  const pass = async (phase: ScanProgress["phase"], ports: readonly number[]) => {
    let done = 0;
    await runPaced(shuffle([...ports]), options.attempt, options, (port, outcome) => {
      const before = records.verdict(port);
      records.add(port, outcome);
      const after = records.verdict(port);
      if (before !== after) {
        if (before !== "silent") live[before] -= 1;
        if (after !== "silent") live[after] += 1;
      }
      tries += 1;
      done += 1;
      if (phase === "sweep" && tries === reachabilityCheckTries) {
        const code = records.onlyUnreachable();
        if (code) options.onOnlyUnreachable?.(code);
      }
      options.onProgress?.({ phase, done, total: ports.length, ...live });
    });
  };

  await pass("sweep", options.ports);
  // Refused ports are sampled like silent ones: a reset is not worth a re-test of each (a censor
  // may reset tens of thousands), but a sample shows whether resets came and went.
  const closedAfterSweep = options.ports.filter((p) => isClosed(records.verdict(p)));
  const sampleSize = Math.min(closedAfterSweep.length, Math.max(options.minSilentSample, Math.ceil(closedAfterSweep.length * options.silentSampleShare)));
  const sample = shuffle([...closedAfterSweep]).slice(0, sampleSize);

  const retest = async (sampled: readonly number[]) => {
    for (let round = 0; round < options.retestRounds; round++) {
      await sleep(options.gapMs);
      // Every candidate once; afterwards only those not yet proven open.
      const candidates = options.ports.filter((p) => !isClosed(records.verdict(p)) && (round === 0 || records.verdict(p) !== "open"));
      const slice = sampled.filter((_, i) => i % options.retestRounds === round);
      await pass("retest", [...candidates, ...slice]);
    }
  };
  await retest(sample);

  // A sampled port that now reaches something means the sweep lost answers: sweep the rest again.
  const answered = sample.filter((p) => !isClosed(records.verdict(p)));
  const resweep = answered.length > 0;
  if (resweep) {
    await pass("resweep", options.ports.filter((p) => isClosed(records.verdict(p))));
    await retest([]);
  }

  const { open, intercepted, refused } = counts(options.ports);
  return {
    tested: options.ports.length,
    open: records.withVerdict(options.ports, "open"),
    intercepted: records.withVerdict(options.ports, "intercepted"),
    refused: records.withVerdict(options.ports, "refused"),
    silent: options.ports.length - open - intercepted - refused,
    silentSample: { tested: sample.length, answered },
    resweep,
    tries,
    seconds: (Date.now() - started) / 1000,
    probeShapedWrongAnswer: open === 0 && records.sawProbeShapedWrongAnswer(),
    unreachableCode: open + intercepted === 0 ? records.onlyUnreachable() : undefined,
  };
}
