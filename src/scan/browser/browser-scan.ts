import { probePath } from "../../probe/protocol";
import { expectedAnswer, newNonce } from "../probe-answer";
import { browserBlockedPorts } from "./blocked-ports";

/** The part of `fetch` the scanner uses (a browser's, or a stand-in in tests). */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; cache: "no-store"; mode: "cors"; credentials: "omit"; redirect: "error" },
) => Promise<{ text(): Promise<string> }>;

/** What a browser can tell about a port: far less than the command-line scanner (README). */
export type BrowserOutcome = "open" | "answered-wrong" | "failed" | "timed-out";

export interface BrowserScanOptions {
  address: string;
  token: string;
  ports: readonly number[];
  /** Fetches in flight at once (Chromium holds at most 256 connections in all). */
  parallel: number;
  timeoutMs: number;
  fetch: FetchLike;
  randomBytes: (length: number) => Uint8Array;
  onProgress?: (done: number, total: number, open: number) => void;
}

export interface BrowserScanResult {
  open: number[];
  /** Read an answer, but not the probe's (a middlebox that also sends a CORS header). */
  answeredWrong: number[];
  /** The fetch failed before the timeout: a reset, or an answer without CORS, or an error page. */
  failed: number[];
  timedOut: number[];
  /** Ports browsers refuse to fetch; not tested. */
  skipped: number[];
}

const rank: Record<BrowserOutcome, number> = { open: 3, "answered-wrong": 2, failed: 1, "timed-out": 0 };

async function fetchOnce(options: BrowserScanOptions, port: number): Promise<BrowserOutcome> {
  const nonce = newNonce(options.randomBytes);
  const host = options.address.includes(":") ? `[${options.address}]` : options.address;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(`http://${host}:${port}${probePath(nonce, port)}`, {
      signal: controller.signal,
      cache: "no-store",
      mode: "cors",
      credentials: "omit",
      redirect: "error",
    });
    const body = (await response.text()).trim();
    return body === expectedAnswer(options.token, nonce, port) ? "open" : "answered-wrong";
  } catch {
    return controller.signal.aborted ? "timed-out" : "failed";
  } finally {
    clearTimeout(timer);
  }
}

/** Two fetches a third of the timeout apart, unless the first is done by then: a lost SYN costs a second. */
function hedgedFetch(options: BrowserScanOptions, port: number): Promise<BrowserOutcome> {
  return new Promise((resolve) => {
    let best: BrowserOutcome | undefined;
    let pending = 1;
    let finished = false;
    const settle = (outcome: BrowserOutcome) => {
      if (finished) return;
      if (best === undefined || rank[outcome] > rank[best]) best = outcome;
      pending -= 1;
      if (outcome === "open" || pending === 0) {
        finished = true;
        resolve(best);
      }
    };
    void fetchOnce(options, port).then(settle);
    setTimeout(() => {
      if (finished) return;
      pending += 1;
      void fetchOnce(options, port).then(settle);
    }, options.timeoutMs / 3);
  });
}

/** Fetches `http://<probe>:<port>/?n=<nonce>&p=<port>` on every port a browser may fetch. */
export async function browserScan(options: BrowserScanOptions): Promise<BrowserScanResult> {
  const skipped = options.ports.filter((p) => browserBlockedPorts.has(p));
  const queue = options.ports.filter((p) => !browserBlockedPorts.has(p));
  const total = queue.length;
  const outcomes = new Map<number, BrowserOutcome>();
  let done = 0;
  let open = 0;
  const worker = async () => {
    for (let port = queue.shift(); port !== undefined; port = queue.shift()) {
      const outcome = await hedgedFetch(options, port);
      outcomes.set(port, outcome);
      done += 1;
      if (outcome === "open") open += 1;
      options.onProgress?.(done, total, open);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker));
  const having = (outcome: BrowserOutcome) => [...outcomes].filter(([, o]) => o === outcome).map(([p]) => p).sort((a, b) => a - b);
  return { open: having("open"), answeredWrong: having("answered-wrong"), failed: having("failed"), timedOut: having("timed-out"), skipped };
}
