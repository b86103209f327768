import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayProbes } from "../../src/check/probes";
import { certificateVerified, notSignedByNode, realityAuthenticated, realityProbe } from "../../src/check/probes/reality-probe";
import { serverFinishedValid, tls13Suites } from "../../src/check/probes/tls13";
import type { ProbeOptions } from "../../src/check/types";
import { buildGoPeer, xrayPeer } from "../peers/go-peers";
import { freePort } from "./support/pebble";
import { listening, untilListening } from "./support/loopback";

// `lifeline check` on a vless relay, against the real Xray 26.3.27 (built from its tagged module,
// cached) with a VLESS + REALITY inbound on loopback. Its target, the site a stranger sees, is a
// local TLS 1.3 server with a self-signed certificate and ALPN h2.

const serverName = "www.example.com";
const shortId = "0123abcd";
const uuid = randomUUID();
const nodeKeys = generateKeyPairSync("x25519");
const jwk = (key: typeof nodeKeys.privateKey) => key.export({ format: "jwk" });
const nodePublicKey = jwk(nodeKeys.publicKey).x!;

let dir: string;
let target: ReturnType<typeof createTlsServer>;
let targetCertificate: X509Certificate;
let targetContext: { key: Buffer; cert: Buffer };
let xray: ChildProcess;
let xrayLog = "";
let xrayPort: number;
const options: ProbeOptions = { target: { host: "127.0.0.1", tunnelPort: 443, requestPort: 80 }, timeoutMs: 5000, allowPrivate: true, unixSeconds: () => Math.floor(Date.now() / 1000) };

const link = (fields: { pbk?: string; sid?: string; port?: number; security?: string } = {}) =>
  `vless://${uuid}@127.0.0.1:${fields.port ?? xrayPort}?security=${fields.security ?? "reality"}&sni=${serverName}&pbk=${fields.pbk ?? nodePublicKey}` +
  `&sid=${fields.sid ?? shortId}&fp=chrome&flow=xtls-rprx-vision&type=tcp&encryption=none#fra1`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "reality-probe-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    "-days", "2", "-subj", `/CN=${serverName}`, "-addext", `subjectAltName=DNS:${serverName}`], { stdio: "ignore" });
  const cert = readFileSync(join(dir, "cert.pem"));
  targetCertificate = new X509Certificate(cert);
  targetContext = { key: readFileSync(join(dir, "key.pem")), cert };
  target = createTlsServer({ ...targetContext, ALPNProtocols: ["h2"], minVersion: "TLSv1.3" }, (socket) => socket.end());
  const targetPort = await listening(target);
  xrayPort = await freePort();
  const config = {
    log: { loglevel: "warning" },
    inbounds: [{
      listen: "127.0.0.1", port: xrayPort, protocol: "vless",
      settings: { clients: [{ id: uuid, flow: "xtls-rprx-vision" }], decryption: "none" },
      streamSettings: {
        network: "tcp", security: "reality",
        realitySettings: { target: `127.0.0.1:${targetPort}`, serverNames: [serverName], privateKey: jwk(nodeKeys.privateKey).d, shortIds: [shortId], maxTimeDiff: 60_000 },
      },
    }],
    outbounds: [{ protocol: "freedom" }],
  };
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  xray = spawn(await buildGoPeer(xrayPeer), ["run", "-c", join(dir, "config.json")], { stdio: ["ignore", "pipe", "pipe"] });
  xray.stdout!.on("data", (d: Buffer) => (xrayLog += d.toString()));
  xray.stderr!.on("data", (d: Buffer) => (xrayLog += d.toString()));
  await untilListening(xrayPort, () => `(xray said: ${xrayLog})`);
}, 600_000);

afterAll(() => {
  xray?.kill();
  target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("REALITY probe against the real Xray", () => {
  it("passes with the node's public key and short id: the certificate is signed with the node's key", async () => {
    const r = await realityProbe({ kind: "vless", link: link() }, options);
    expect(r).toMatchObject({ ok: true, port: xrayPort, detail: realityAuthenticated });
    expect(r.handshakeMs).toBeGreaterThan(0);
  });

  // REALITY answers with the cipher suite its target picked: each one the probe can follow.
  it.each(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"])("passes when the target picks %s", async (suite) => {
    target.setSecureContext({ ...targetContext, ciphers: suite });
    try {
      expect(await realityProbe({ link: link() }, options)).toMatchObject({ ok: true, detail: realityAuthenticated });
    } finally {
      target.setSecureContext(targetContext);
    }
  });

  it("is what `lifeline check` runs for a vless relay, whichever field carries the link", async () => {
    expect(relayProbes.vless).toBe(realityProbe);
    expect(await relayProbes.vless({ kind: "vless", transport: "encrypted", share: link() }, options)).toMatchObject({ ok: true });
  });

  it("fails with a pbk that is not the node's, saying so, and the reason holds no part of the link", async () => {
    const otherKey = jwk(generateKeyPairSync("x25519").publicKey).x!;
    const r = await realityProbe({ link: link({ pbk: otherKey }) }, options);
    expect(r).toMatchObject({ ok: false, port: xrayPort, detail: notSignedByNode });
    expect(r.detail).toMatch(/^the server answered with a certificate not signed by the node's key: the pbk in the link is not this node's, or the port shows the target site to strangers/);
    for (const secret of [uuid, otherKey, shortId]) expect(r.detail).not.toContain(secret);
  });

  it("passes with a uuid the node does not know: it checks the REALITY key, not the VLESS user", async () => {
    const r = await realityProbe({ link: link().replace(uuid, randomUUID()) }, options);
    expect(r).toMatchObject({ ok: true, detail: realityAuthenticated });
  });

  it("fails with a short id the node does not know", async () => {
    expect(await realityProbe({ link: link({ sid: "deadbeef" }) }, options)).toMatchObject({ ok: false, detail: notSignedByNode });
  });

  it("fails when this machine's clock is further off than the node's maxTimeDiff", async () => {
    const r = await realityProbe({ link: link() }, { ...options, unixSeconds: () => Math.floor(Date.now() / 1000) - 3600 });
    expect(r).toMatchObject({ ok: false, detail: notSignedByNode });
  });

  it("is not fooled by a plain TLS 1.3 site: the target itself fails", async () => {
    const r = await realityProbe({ link: link({ port: (target.address() as AddressInfo).port }) }, options);
    expect(r).toMatchObject({ ok: false, detail: notSignedByNode });
  });

  it("shows a stranger's TLS handshake the target's own certificate, byte for byte", async () => {
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ host: "127.0.0.1", port: xrayPort, servername: serverName, ALPNProtocols: ["h2"], rejectUnauthorized: false }, () => resolve(s));
      s.on("error", reject);
    });
    const seen = socket.getPeerCertificate();
    const alpn = socket.alpnProtocol;
    const version = socket.getProtocol();
    socket.destroy();
    expect(seen.fingerprint256).toBe(targetCertificate.fingerprint256);
    expect(seen.raw.equals(targetCertificate.raw)).toBe(true);
    expect({ alpn, version }).toEqual({ alpn: "h2", version: "TLSv1.3" });
  });
});

describe("links and ports the probe cannot use", () => {
  it("names what is wrong in the link without echoing it", async () => {
    expect(await realityProbe({ link: link({ security: "tls" }) }, options).catch((e: Error) => e.message)).toBe("the vless link is not a REALITY link (security=reality)");
    expect(await realityProbe({ link: link({ pbk: "c2hvcnQ" }) }, options).catch((e: Error) => e.message)).toBe("the vless link's pbk is not a 32-byte X25519 public key in base64url");
    expect(await realityProbe({ link: link({ sid: "xyz" }) }, options).catch((e: Error) => e.message)).toBe("the vless link's sid is not a short id of up to 16 hex digits");
    expect(await realityProbe({ telegram: "tg://proxy?server=x" }, options).catch((e: Error) => e.message)).toBe("the outputs carry no vless:// link for this relay");
  });

  it("fails on time when the port accepts and never answers", async () => {
    const silent = createTcpServer(() => undefined);
    const port = await listening(silent);
    try {
      const r = await realityProbe({ link: link({ port }) }, { ...options, timeoutMs: 800 });
      expect(r).toMatchObject({ ok: false, port, detail: "no TLS handshake from the server within the time allowed" });
    } finally {
      silent.close();
    }
  });

  it("fails when the port does not speak TLS", async () => {
    const http = createTcpServer((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const port = await listening(http);
    try {
      expect(await realityProbe({ link: link({ port }) }, options)).toMatchObject({ ok: false, detail: "the port does not answer as TLS" });
    } finally {
      http.close();
    }
  });
});

// Xray never sends a bad CertificateVerify or Finished; these are what a tampered handshake would
// carry, checked against RFC 8446 4.4.3 and 4.4.4 built here independently of the probe.
describe("a tampered REALITY handshake", () => {
  const suite = tls13Suites[0x1301]!;
  const transcript = [randomBytes(200), randomBytes(90)];

  it("refuses a CertificateVerify that does not sign this transcript", () => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", join(dir, "ed.key"), "-out", join(dir, "ed.pem"), "-days", "1", "-subj", "/CN=t"], { stdio: "ignore" });
    const der = new X509Certificate(readFileSync(join(dir, "ed.pem"))).raw;
    const hash = createHash("sha256").update(Buffer.concat(transcript)).digest();
    const signature = sign(null, Buffer.concat([Buffer.alloc(64, 32), Buffer.from("TLS 1.3, server CertificateVerify"), Buffer.from([0]), hash]), readFileSync(join(dir, "ed.key")));
    const message = (sig: Buffer) => Buffer.concat([Buffer.from([15, 0, 0, 4 + sig.length, 0x08, 0x07, 0, sig.length]), sig]);
    expect(certificateVerified(der, suite, transcript, message(signature))).toBe(true);
    expect(certificateVerified(der, suite, [transcript[0]!], message(signature))).toBe(false);
    expect(certificateVerified(targetCertificate.raw, suite, transcript, message(signature))).toBe(false);
  });

  it("accepts the Finished RFC 8446 4.4.4 defines, and refuses it one bit off", () => {
    const secret = randomBytes(32);
    // HKDF-Expand-Label(secret, "finished", "", 32): one HMAC block of the framed label.
    const label = Buffer.from("tls13 finished");
    const finishedKey = createHmac("sha256", secret).update(Buffer.concat([Buffer.from([0, 32, label.length]), label, Buffer.from([0, 1])])).digest();
    const verifyData = createHmac("sha256", finishedKey).update(createHash("sha256").update(Buffer.concat(transcript)).digest()).digest();
    expect(serverFinishedValid(suite, secret, transcript, verifyData)).toBe(true);
    verifyData[7]! ^= 1;
    expect(serverFinishedValid(suite, secret, transcript, verifyData)).toBe(false);
  });
});
