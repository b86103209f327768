/**
 * A TCP echo server for the benchmark's held tunnels, run in the test internet's namespace:
 * `ip netns exec <ns> node tsx/cli echo-server.ts <host> <port>`. Prints READY when listening.
 */
import { createServer } from "node:net";

const [host, port] = process.argv.slice(2) as [string, string];
createServer((socket) => {
  socket.on("error", () => undefined);
  socket.pipe(socket);
}).listen({ host, port: Number(port), backlog: 65535 }, () => process.stdout.write("READY\n"));
