import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createServer, type Server } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsProbe } from "../../src/check/probes/http-probe";

const user = "u8c2kq";
const password = "HtTpSpRoXyPaSsWoRd1234";
const target = { host: "198.51.100.9", tunnelPort: 443, requestPort: 80 };

// `lifeline check` on an https relay: TLS to the proxy with its certificate checked for the
// address, then the same CONNECT with Basic auth as the http relay. A loopback TLS proxy
// stand-in answers 200 to the right password and 407 to any other.
describe("https probe", () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeline-https-probe-"));
  const certFile = join(dir, "cert.pem");
  let server: Server;
  let port = 0;
  const links = (pass = password) => ({ host: "127.0.0.1", port: String(port), user, password: pass });

  beforeAll(async () => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "key.pem"), "-out", certFile,
      "-days", "1", "-subj", "/", "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"], { stdio: "ignore" });
    const expected = `Proxy-Authorization: Basic ${Buffer.from(`${user}:${password}`).toString("base64")}\r\n`;
    server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(certFile) }, (socket) => {
      let head = "";
      socket.on("data", (chunk: Buffer) => {
        head += chunk.toString("latin1");
        if (!head.includes("\r\n\r\n")) return;
        socket.end(head.startsWith(`CONNECT ${target.host}:443 `) && head.includes(expected) ? "HTTP/1.1 200 Connection established\r\n\r\n" : "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The probe in a Node process that trusts the stand-in's certificate, as a machine trusts Let's Encrypt. */
  async function probeTrusting(pass: string): Promise<{ ok: boolean; detail: string }> {
    const tsxCli = createRequire(__filename).resolve("tsx/cli");
    const script = `import { httpsProbe } from ${JSON.stringify(join(__dirname, "../../src/check/probes/http-probe"))};
httpsProbe(${JSON.stringify(links(pass))}, { target: ${JSON.stringify(target)}, timeoutMs: 5000, allowPrivate: true, unixSeconds: () => 0 }).then((r) => console.log(JSON.stringify(r)));`;
    // Not spawnSync: the stand-in answers from this process's event loop.
    const r = await promisify(execFile)(process.execPath, [tsxCli, "-e", script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile }, encoding: "utf8", timeout: 30_000 });
    return JSON.parse(r.stdout) as { ok: boolean; detail: string };
  }

  it("passes over TLS with a trusted certificate for the address and the right password", async () => {
    expect(await probeTrusting(password)).toMatchObject({ ok: true, detail: `TLS certificate valid; authenticated; CONNECT to ${target.host}:443 answered 200` });
  });

  it("fails with a wrong password, naming no password", async () => {
    const r = await probeTrusting("wrong-password");
    expect(r).toMatchObject({ ok: false, detail: "wrong user or password: the proxy answered 407" });
  });

  it("fails on a certificate this machine does not trust, saying so", async () => {
    const r = await httpsProbe(links(), { target, timeoutMs: 5000, allowPrivate: true, unixSeconds: () => 0 });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^the relay's TLS certificate is not valid for this address \([A-Z_]+\)/);
    expect(r.detail).not.toContain(password);
  });
});
