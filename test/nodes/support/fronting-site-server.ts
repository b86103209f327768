/**
 * The test internet's TLS side, run inside its namespace: `ip netns exec <ns> node tsx/cli
 * fronting-site-server.ts <config.json>`. Prints READY once both servers listen.
 *
 * - A DNS-over-HTTPS resolver (RFC 8484, POST or GET on /dns-query), as mtg uses instead of the
 *   system resolver: it answers A queries for the names it was given, and nothing else.
 * - The HTTPS site mtg's FakeTLS imitates ("fronting host"). Every connection passes through a
 *   recorder that writes the bytes each way to a transcript file, so a test can prove a probe
 *   got exactly what the site sent.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createTcpServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import * as dnsPacket from "dns-packet";

export interface FrontingSiteConfig {
  doh: { ip: string; certFile: string; keyFile: string; answers: Record<string, string> };
  site: { ip: string; certFile: string; keyFile: string; page: string; transcriptDir: string };
}

const config = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as FrontingSiteConfig;
const tlsFiles = (c: { certFile: string; keyFile: string }) => ({ cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) });

function dnsAnswer(query: Buffer): Buffer {
  const request = dnsPacket.decode(query);
  const answers = (request.questions ?? []).flatMap((q) => {
    const address = q.type === "A" ? config.doh.answers[q.name.toLowerCase()] : undefined;
    return address === undefined ? [] : [{ type: "A" as const, name: q.name, ttl: 60, data: address }];
  });
  return dnsPacket.encode({ id: request.id, type: "response", flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: request.questions ?? [], answers });
}

const doh = createHttpsServer(tlsFiles(config.doh), (req, res) => {
  const url = new URL(req.url ?? "/", "https://resolver");
  const reply = (query: Buffer) => {
    const body = dnsAnswer(query);
    res.writeHead(200, { "content-type": "application/dns-message", "content-length": body.length }).end(body);
  };
  if (url.pathname !== "/dns-query") return void res.writeHead(404).end();
  if (req.method === "GET") return reply(Buffer.from(url.searchParams.get("dns") ?? "", "base64url"));
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c)).on("end", () => reply(Buffer.concat(chunks)));
});

const site = createHttpsServer(tlsFiles(config.site), (_req, res) => {
  res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(config.site.page) }).end(config.site.page);
});

let connections = 0;
const recorder = createTcpServer((client) => {
  const id = `${Date.now()}-${String(++connections).padStart(4, "0")}`;
  const fromClient: Buffer[] = [];
  const toClient: Buffer[] = [];
  const server = connect((site.address() as AddressInfo).port, "127.0.0.1");
  let open = 2;
  const done = () => {
    if (--open > 0) return;
    const transcript = { id, fromClient: Buffer.concat(fromClient).toString("hex"), toClient: Buffer.concat(toClient).toString("hex") };
    writeFileSync(join(config.site.transcriptDir, `${id}.json`), JSON.stringify(transcript));
  };
  client.on("data", (b: Buffer) => (fromClient.push(b), server.write(b)));
  server.on("data", (b: Buffer) => (toClient.push(b), client.write(b)));
  client.on("close", () => (server.end(), done()));
  server.on("close", () => (client.end(), done()));
  client.on("error", () => server.destroy());
  server.on("error", () => client.destroy());
});

const listen = (server: { listen: (...a: any[]) => unknown; once: (e: string, f: (e: Error) => void) => unknown }, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });

Promise.all([listen(doh, 443, config.doh.ip), listen(site, 0, "127.0.0.1")])
  .then(() => listen(recorder, 443, config.site.ip))
  .then(
    () => process.stdout.write("READY\n"),
    (e: unknown) => {
      process.stderr.write(`fronting site failed: ${String(e)}\n`);
      process.exit(1);
    },
  );
