/**
 * Load from a namespace of the benchmark: `... load-client.ts '<json job>'`; prints one JSON
 * result line. Jobs:
 *   {mode: "hold", via, target, count}: opens `count` tunnels and holds them until stdin closes
 *   {mode: "requests", via, target, seconds, concurrency}: HTTP GETs, one tunnel each
 * Every loop is bounded in count and time.
 */
import { openTunnel, type Target, type Via } from "./tunnel";

type Job =
  | { mode: "hold"; via: Via; target: Target; count: number }
  | { mode: "requests"; via: Via; target: Target; seconds: number; concurrency: number };

const job = JSON.parse(process.argv[2] ?? "{}") as Job;

async function hold(j: Extract<Job, { mode: "hold" }>): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: j.count }, () => openTunnel(j.via, j.target, 20_000)));
  const held = results.filter((r) => r.status === "fulfilled").length;
  const firstError = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  process.stdout.write(`${JSON.stringify({ held, failed: j.count - held, error: firstError ? String(firstError.reason) : null })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
  setTimeout(() => process.exit(0), 120_000);
}

async function oneRequest(via: Via, target: Target): Promise<boolean> {
  const socket = await openTunnel(via, target);
  socket.write(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (b: Buffer) => (text += b.toString()));
    socket.on("close", () => resolve(text.startsWith("HTTP/1.1 200")));
    socket.on("error", () => resolve(false));
  });
}

async function requests(j: Extract<Job, { mode: "requests" }>): Promise<void> {
  const deadline = Date.now() + j.seconds * 1000;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const success = await oneRequest(j.via, j.target).catch(() => false);
      if (success) ok++;
      else failed++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: j.concurrency }, worker));
  const seconds = (Date.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, failed, perSecond: ok / seconds })}\n`);
  process.exit(0);
}

(job.mode === "hold" ? hold(job) : requests(job)).catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`);
  process.exit(1);
});
