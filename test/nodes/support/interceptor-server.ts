/**
 * The censor's interceptor: what a carrier's transparent proxy or captive portal does. Run inside
 * the censor namespace, where nftables redirects chosen ports to it. It completes every handshake
 * and answers the first request with something that is not the probe's answer, in turn: a 64-hex
 * body under a wrong key, a portal's login page, and silence. Prints READY once it listens.
 *   ip netns exec <censor> node tsx/cli interceptor-server.ts <port>
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";

const port = Number(process.argv[2]);
const http = (body: string) => `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
const answers = [() => http(randomBytes(32).toString("hex")), () => http("<html><body>Please log in to continue</body></html>"), () => undefined];
let served = 0;

const server = createServer((socket) => {
  socket.on("error", () => undefined);
  const answer = answers[served++ % answers.length]!;
  socket.once("data", () => {
    const text = answer();
    if (text !== undefined) socket.end(text);
    // The silent kind holds the connection until the client gives up.
  });
});
server.listen({ port, host: "0.0.0.0", backlog: 4096 }, () => process.stdout.write("READY\n"));
