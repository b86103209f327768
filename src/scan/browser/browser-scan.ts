import { probePath } from "../../probe/protocol";
import { expectedAnswer, newNonce } from "../probe-answer";
import { browserBlockedPorts } from "./blocked-ports";
import { SocketSlots } from "./socket-slots";

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
  /** Connections the scan may hold at once, abandoned attempts included (Chromium's pool: 256 in all). */
  slots: number;
  /** How long an aborted attempt still holds its connection: the device's TCP connect give-up time (see socket-slots.ts). */
  lingerMs: number;
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

/** One fetch, on a slot already taken; it gives the slot back as its end requires. */
async function fetchOnce(options: BrowserScanOptions, slots: SocketSlots, port: number): Promise<BrowserOutcome> {
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
    slots.give(controller.signal.aborted);
  }
}

/**
 * Two fetches a third of the timeout apart, unless the first is done by then (a lost SYN costs a
 * second), the second only while more than half the slots are free: a hedge is not worth a wait,
 * and on a long range of silent ports it would halve the pace (each lingers minutes).
 */
function hedgedFetch(options: BrowserScanOptions, slots: SocketSlots, port: number): Promise<BrowserOutcome> {
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
    void fetchOnce(options, slots, port).then(settle);
    setTimeout(() => {
      if (finished || !slots.tryTake(Math.floor(options.slots / 2))) return;
      pending += 1;
      void fetchOnce(options, slots, port).then(settle);
    }, options.timeoutMs / 3);
  });
}

/** Fetches `http://<probe>:<port>/?n=<nonce>&p=<port>` on every port a browser may fetch. */
export async function browserScan(options: BrowserScanOptions): Promise<BrowserScanResult> {
  const skipped = options.ports.filter((p) => browserBlockedPorts.has(p));
  const queue = options.ports.filter((p) => !browserBlockedPorts.has(p));
  const total = queue.length;
  const outcomes = new Map<number, BrowserOutcome>();
  const slots = new SocketSlots(Math.max(1, options.slots), options.lingerMs);
  let done = 0;
  let open = 0;
  const started: Promise<void>[] = [];
  for (const port of queue) {
    // A fetch starts only when the browser has a socket for it, so its timeout times the network.
    await slots.take();
    started.push(
      hedgedFetch(options, slots, port).then((outcome) => {
        outcomes.set(port, outcome);
        done += 1;
        if (outcome === "open") open += 1;
        options.onProgress?.(done, total, open);
      }),
    );
  }
  await Promise.all(started);
  const having = (outcome: BrowserOutcome) => [...outcomes].filter(([, o]) => o === outcome).map(([p]) => p).sort((a, b) => a - b);
  return { open: having("open"), answeredWrong: having("answered-wrong"), failed: having("failed"), timedOut: having("timed-out"), skipped };
}
