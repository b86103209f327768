/**
 * Runs inside a namespace (`startNetnsScript`): opens one tunnel through a relay and keeps it.
 * It fetches `GET /` over it at once and prints `{"status": ...}` as its first line, then does the
 * same again for every line it reads on stdin: one connection, used before and after a change
 * on the node (a certificate renewal) to show the change did not cut it.
 * Usage: held-tunnel.ts VIA_JSON TARGET_JSON
 */
import type { Socket } from "node:net";
import { createInterface } from "node:readline";
import { openTunnel, type Target, type Via } from "../load/tunnel";

function get(socket: Socket): Promise<string> {
  if (socket.destroyed) return Promise.resolve("closed before this request");
  return new Promise((resolve) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      const end = seen.indexOf("\r\n\r\n");
      const length = Number(/content-length: *(\d+)/i.exec(seen)?.[1] ?? NaN);
      if (end !== -1 && seen.length >= end + 4 + length) done(seen.split("\r\n")[0] ?? "");
    };
    const onClose = () => done(`closed after: ${seen.split("\r\n")[0] ?? ""}`);
    const done = (status: string) => {
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(status);
    };
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.write("GET / HTTP/1.1\r\nHost: internet\r\n\r\n");
  });
}

async function main(): Promise<void> {
  const via = JSON.parse(process.argv[2]!) as Via;
  const target = JSON.parse(process.argv[3]!) as Target;
  const socket = await openTunnel(via, target);
  socket.on("error", () => undefined);
  process.stdout.write(`${JSON.stringify({ status: await get(socket) })}\n`);
  for await (const _line of createInterface({ input: process.stdin })) {
    process.stdout.write(`${JSON.stringify({ status: await get(socket) })}\n`);
  }
  socket.destroy();
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ status: `failed: ${String(e)}` })}\n`);
  process.exit(1);
});
