/**
 * Load from a namespace of the benchmark: `... load-client.ts '<json job>'`; prints one JSON
 * result line. Jobs:
 *   {mode: "hold", via, target, count}: opens `count` tunnels at once, holds them until stdin closes
 *   {mode: "ramp-hold", via, target, count, perSecond}: opens `count` tunnels at a bounded rate,
 *     then proves each still carries data (the target echoes a byte), and holds them
 *   {mode: "requests", via, target, seconds, concurrency}: HTTP GETs, one tunnel each
 *   {mode: "faketls-rate", link, seconds, concurrency}: MTProto FakeTLS handshakes, one connection each
 *   {mode: "faketls-hold", link, count, perSecond}: FakeTLS sessions opened at a bounded rate and held
 * Every loop is bounded in count and time.
 */
import type { Socket } from "node:net";
import { fakeTlsHandshake, type FakeTlsSession } from "./faketls-session";
import { openTunnel, type Target, type Via } from "./tunnel";

type Job =
  | { mode: "hold"; via: Via; target: Target; count: number }
  | { mode: "ramp-hold"; via: Via; target: Target; count: number; perSecond: number }
  | { mode: "requests"; via: Via; target: Target; seconds: number; concurrency: number }
  | { mode: "faketls-rate"; link: string; seconds: number; concurrency: number }
  | { mode: "faketls-hold"; link: string; count: number; perSecond: number };

const job = JSON.parse(process.argv[2] ?? "{}") as Job;

function report(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Keeps the process (and its connections) alive until the runner closes stdin, at most 5 minutes. */
function holdUntilReleased(): void {
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
  setTimeout(() => process.exit(0), 300_000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `count` tasks, `perSecond` of them each second, and waits for all of them. Each task's
 * outcome is captured as it starts: one that fails while later ones are still being started
 * must not count as an unhandled rejection (which would end the process).
 */
async function paced<T>(count: number, perSecond: number, task: () => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const started: Promise<PromiseSettledResult<T>>[] = [];
  const batch = Math.max(1, Math.round(perSecond / 10));
  for (let i = 0; i < count; i += batch) {
    for (let j = i; j < Math.min(count, i + batch); j++) {
      started.push(task().then((value) => ({ status: "fulfilled", value }), (reason: unknown) => ({ status: "rejected", reason })));
    }
    await sleep(100);
  }
  return Promise.all(started);
}

function firstError(results: PromiseSettledResult<unknown>[]): string | null {
  const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  return failed ? String(failed.reason) : null;
}

/** A held tunnel that the far end resets must not end the whole load client: it just stops counting. */
function quiet(socket: Socket): Socket {
  socket.on("error", () => undefined);
  return socket;
}

async function hold(j: Extract<Job, { mode: "hold" }>): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: j.count }, () => openTunnel(j.via, j.target, 20_000).then(quiet)));
  const held = results.filter((r) => r.status === "fulfilled").length;
  report({ held, failed: j.count - held, error: firstError(results) });
  holdUntilReleased();
}

/** One byte out, the same byte back: the tunnel still carries data end to end. */
function echoes(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 15_000);
    socket.once("data", () => (clearTimeout(timer), resolve(true)));
    socket.once("close", () => (clearTimeout(timer), resolve(false)));
    socket.write("x");
  });
}

async function rampHold(j: Extract<Job, { mode: "ramp-hold" }>): Promise<void> {
  const opened = await paced(j.count, j.perSecond, () => openTunnel(j.via, j.target, 30_000).then(quiet));
  const sockets = opened.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const alive = (await Promise.all(sockets.map(echoes))).filter(Boolean).length;
  report({ opened: sockets.length, alive, failed: j.count - sockets.length, error: firstError(opened) });
  holdUntilReleased();
}

/** True once `text` holds a whole 200 response: its headers and as many body bytes as Content-Length says. */
function completeOk(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0 || !text.startsWith("HTTP/1.1 200")) return false;
  const length = /^content-length: *(\d+)/im.exec(text.slice(0, end));
  return length !== null && Buffer.byteLength(text.slice(end + 4)) >= Number(length[1]);
}

/**
 * One GET through a new tunnel. Done when the whole response is in, as for a browser: how soon
 * a relay passes the server's close on (v2ray waits seconds on purpose) is not the request's time.
 */
async function oneRequest(via: Via, target: Target): Promise<boolean> {
  const socket = await openTunnel(via, target);
  socket.write(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
  return new Promise((resolve) => {
    let text = "";
    const finish = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.on("data", (b: Buffer) => {
      text += b.toString();
      if (completeOk(text)) finish(true);
    });
    socket.on("close", () => resolve(completeOk(text)));
    socket.on("error", () => resolve(false));
  });
}

/** Runs `once` from `concurrency` workers for `seconds`; counts successes per second. */
async function rate(seconds: number, concurrency: number, once: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      if (await once().catch(() => false)) ok++;
      else failed++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  report({ ok, failed, perSecond: ok / ((Date.now() - start) / 1000) });
  process.exit(0);
}

async function fakeTlsOnce(link: string): Promise<boolean> {
  const session = await fakeTlsHandshake(link);
  session.close();
  return true;
}

async function fakeTlsHold(j: Extract<Job, { mode: "faketls-hold" }>): Promise<void> {
  const results = await paced(j.count, j.perSecond, () => fakeTlsHandshake(link(j)));
  const sessions: FakeTlsSession[] = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  report({ held: sessions.length, failed: j.count - sessions.length, error: firstError(results) });
  holdUntilReleased();
}

const link = (j: { link: string }) => j.link;

function run(j: Job): Promise<void> {
  switch (j.mode) {
    case "hold":
      return hold(j);
    case "ramp-hold":
      return rampHold(j);
    case "requests":
      return rate(j.seconds, j.concurrency, () => oneRequest(j.via, j.target));
    case "faketls-rate":
      return rate(j.seconds, j.concurrency, () => fakeTlsOnce(j.link));
    case "faketls-hold":
      return fakeTlsHold(j);
  }
}

run(job).catch((e: unknown) => {
  report({ error: String(e) });
  process.exit(1);
});
