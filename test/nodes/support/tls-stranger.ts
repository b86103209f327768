/**
 * A stranger's TLS handshake, recorded byte for byte: connects to <host>:<port> through a local
 * relay that keeps every byte each way, completes TLS with the given SNI (any certificate
 * accepted, as a censor's probe would), asks for `/`, and prints one JSON line: the bytes sent and
 * received on the wire, the certificate chain as DER, and the HTTP answer.
 * `ip netns exec <ns> node tsx/cli tls-stranger.ts <host> <port> <sni>`
 */
import { connect, createServer, type AddressInfo } from "node:net";
import { connect as tlsConnect, type DetailedPeerCertificate } from "node:tls";

const [host, port, sni] = process.argv.slice(2) as [string, string, string];
const sent: Buffer[] = [];
const received: Buffer[] = [];
let chain: string[] = [];
let answer = "";
// Once the target has closed, a failed write of the stranger's close_notify is the end, not an error.
let ended = false;

function finish(outcome: string): void {
  const result = { outcome, sent: Buffer.concat(sent).toString("hex"), received: Buffer.concat(received).toString("hex"), chain, answer };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const relay = createServer((local) => {
  const remote = connect(Number(port), host);
  local.on("data", (b: Buffer) => (sent.push(b), remote.write(b)));
  remote.on("data", (b: Buffer) => (received.push(b), local.write(b)));
  // The target closed: the stranger's close_notify that follows has nowhere to go (the write
  // fails with "ended by the other party"), which is the end of the exchange, not an error.
  remote.on("end", () => {
    ended = true;
    local.end();
  });
  remote.on("error", (e) => ended || finish(`error: ${e.message}`));
  local.on("error", () => remote.destroy());
});

relay.listen(0, "127.0.0.1", () => {
  const tls = tlsConnect({ host: "127.0.0.1", port: (relay.address() as AddressInfo).port, servername: sni, rejectUnauthorized: false });
  tls.on("secureConnect", () => {
    const certs: string[] = [];
    let cert: DetailedPeerCertificate | undefined = tls.getPeerCertificate(true);
    while (cert?.raw && !certs.includes(cert.raw.toString("hex"))) {
      certs.push(cert.raw.toString("hex"));
      cert = cert.issuerCertificate;
    }
    chain = certs;
    tls.write(`GET / HTTP/1.1\r\nHost: ${sni}\r\nConnection: close\r\n\r\n`);
  });
  tls.on("data", (b: Buffer) => (answer += b.toString("latin1")));
  tls.on("end", () => {
    ended = true;
    setTimeout(() => finish("closed"), 200);
  });
  tls.on("error", (e) => ended || finish(`error: ${e.message}`));
});
setTimeout(() => finish("timeout"), 10_000);
