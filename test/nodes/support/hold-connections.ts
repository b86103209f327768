/**
 * Opens N TCP connections to host:port and holds them: `... hold-connections.ts HOST PORT N`.
 * Prints one JSON line {connected, failed} once every attempt has settled, then keeps the
 * connections open until killed. Run inside the client namespace.
 */
import { connect, type Socket } from "node:net";

const [host, port, count] = process.argv.slice(2) as [string, string, string];
const sockets: Socket[] = [];
let connected = 0;
let failed = 0;

function settle(): void {
  if (connected + failed === Number(count)) process.stdout.write(`${JSON.stringify({ connected, failed })}\n`);
}

for (let i = 0; i < Number(count); i++) {
  const socket = connect({ host, port: Number(port) });
  sockets.push(socket);
  let done = false;
  socket.setTimeout(10_000, () => socket.destroy(new Error("timeout")));
  socket.once("connect", () => {
    if (done) return;
    done = true;
    socket.setTimeout(0);
    connected++;
    settle();
  });
  socket.once("error", () => {
    if (done) return;
    done = true;
    failed++;
    settle();
  });
}
setInterval(() => undefined, 60_000);
