/**
 * The stand-in internet host's servers. Run as its own process inside the internet namespace
 * (`ip netns exec <ns> node tsx/cli internet-services.ts`); prints READY once every port listens.
 * Uses only Node built-ins so it starts fast and needs nothing installed.
 */
import { createServer as createHttpServer } from "node:http";
import { createSocket } from "node:dgram";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { DNS_BANNER, INTERNET_PORTS, KNOWN_PAGE, MINING_POOL_BANNER, SMTP_BANNER } from "./internet-ports";

function httpServer(): Server {
  return createHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(KNOWN_PAGE) });
    res.end(KNOWN_PAGE);
  });
}

function tcpServer(onConnect: (s: Socket) => void): Server {
  return createTcpServer((s) => {
    // A client that resets must not crash the whole service process.
    s.on("error", () => undefined);
    onConnect(s);
  });
}

const echo = (s: Socket) => s.pipe(s);
const banner = (text: string) => (s: Socket) => {
  s.write(`${text}\r\n`);
  s.on("data", () => undefined);
};

const servers: Array<[Server, number]> = [
  [httpServer(), INTERNET_PORTS.http],
  [httpServer(), INTERNET_PORTS.https],
  [tcpServer(echo), INTERNET_PORTS.echo],
  [tcpServer(banner(SMTP_BANNER)), INTERNET_PORTS.smtp],
  [tcpServer(banner(MINING_POOL_BANNER)), INTERNET_PORTS.miningPool],
  [tcpServer(echo), INTERNET_PORTS.bittorrent],
  [tcpServer(banner(DNS_BANNER)), INTERNET_PORTS.dns],
];

// UDP 53 answers whatever it gets with the same bytes: a relay user must never hear it.
const udpDns = createSocket("udp4");
udpDns.on("message", (message, peer) => udpDns.send(message, peer.port, peer.address));
udpDns.bind(INTERNET_PORTS.dns, process.argv[2] ?? "0.0.0.0");

Promise.all(
  servers.map(
    ([server, port]) =>
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        // Only the internet host's own address: benchmarks add a second host on the same link.
        // A deep accept queue: benchmarks open thousands of tunnels at once, and the test
        // internet must not be what limits them (Node's default backlog is 511).
        server.listen({ port, host: process.argv[2] ?? "0.0.0.0", backlog: 65535 }, () => resolve());
      }),
  ),
).then(
  () => process.stdout.write("READY\n"),
  (e: unknown) => {
    process.stderr.write(`internet services failed: ${String(e)}\n`);
    process.exit(1);
  },
);
