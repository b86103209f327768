import { createPublicKey, diffieHellman, verify } from "node:crypto";
import { probeOver, ProbeFailure, type ProbeConnection } from "../connection";
import type { RelayProbe } from "../types";
import { linkWithScheme } from "./link-fields";
import { ed25519KeyOf, parseRealityLink, realityCertificateSigned, realityClientHello, type RealityLink } from "./reality-auth";
import { RecordOpener, serverFinishedValid, serverHandshakeSecret, tls13Suites, transcriptHash, type Tls13Suite } from "./tls13";

/**
 * VLESS + REALITY (Xray-core), checked from outside: a TLS 1.3 ClientHello carrying REALITY's
 * authentication for the link's pbk and sid, then the server's first flight read and decrypted
 * up to its Finished. It passes only if the certificate is REALITY's temporary one, signed
 * (HMAC-SHA512) with the key this hello agreed with the node's private key, its
 * CertificateVerify holds under that certificate, and the Finished matches the transcript.
 *
 * What it proves: a server holding the private key for the link's pbk answers on the port, and
 * it accepts the link's short id and this machine's clock. It does not send the client Finished
 * or a VLESS request, so the link's uuid and flow are not checked: a wrong uuid still passes.
 * A server refusing the hello hands it to its target site, whose real certificate is not signed.
 * The hello is this check's own, not the browser the link's `fp` names (the node does not look at
 * it), and an ML-DSA-65 signature (`pqv`) on the certificate, if the node adds one, is not checked.
 */

const record = { changeCipherSpec: 0x14, alert: 0x15, handshake: 0x16, applicationData: 0x17 } as const;
const message = { serverHello: 2, encryptedExtensions: 8, certificate: 11, certificateRequest: 13, certificateVerify: 15, finished: 20 } as const;
const maxRecordBytes = 16_384 + 256;
/** A ServerHello with this random is a HelloRetryRequest (RFC 8446 4.1.3). */
const helloRetryRandom = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");
const alerts: Readonly<Record<number, string>> = { 40: "handshake_failure", 47: "illegal_parameter", 70: "protocol_version", 80: "internal_error", 112: "unrecognized_name" };

export const realityAuthenticated = "REALITY authenticated: the server's certificate is signed with the node's key";
export const notSignedByNode =
  "the server answered with a certificate not signed by the node's key: the pbk in the link is not this node's, or the port shows the target site to strangers (also what a short id (sid) the node does not know, or a clock far off, gets)";

const alertFailure = (content: Buffer) =>
  new ProbeFailure(`the port answered the handshake with a TLS alert (${alerts[content[1] ?? -1] ?? `code ${content[1]}`}): not a REALITY server for this sni, or its target refused the hello`);

/** Handshake messages (4-byte header included) from TLS records, decrypting once keys are set. */
class HandshakeReader {
  private pending = Buffer.alloc(0);
  opener: RecordOpener | undefined;

  constructor(private readonly c: ProbeConnection) {}

  async next(what: string): Promise<Buffer> {
    for (;;) {
      if (this.pending.length >= 4) {
        const size = 4 + this.pending.readUIntBE(1, 3);
        if (this.pending.length >= size) {
          const taken = this.pending.subarray(0, size);
          this.pending = this.pending.subarray(size);
          return taken;
        }
      }
      await this.readRecord(what);
    }
  }

  private async readRecord(what: string): Promise<void> {
    const header = await this.c.read(5, what);
    const length = header.readUInt16BE(3);
    if (![record.changeCipherSpec, record.alert, record.handshake, record.applicationData].includes(header[0] as never) || length > maxRecordBytes) {
      throw new ProbeFailure("the port does not answer as TLS");
    }
    const whole = Buffer.concat([header, await this.c.read(length, what)]);
    const body = whole.subarray(5);
    if (header[0] === record.changeCipherSpec) return; // TLS 1.3 middlebox compatibility: ignored
    if (header[0] === record.alert) throw alertFailure(body);
    if (header[0] === record.handshake && !this.opener) {
      this.pending = Buffer.concat([this.pending, body]);
      return;
    }
    if (header[0] !== record.applicationData || !this.opener) throw new ProbeFailure("the server's handshake records come out of order: not TLS 1.3");
    const inner = this.opener.open(whole);
    if (inner.type === record.alert) throw alertFailure(inner.content);
    if (inner.type !== record.handshake) throw new ProbeFailure("the server sent data before finishing its handshake");
    this.pending = Buffer.concat([this.pending, inner.content]);
  }
}

/** Cipher suite and X25519 share of a TLS 1.3 ServerHello (message header included). */
function readServerHello(hello: Buffer): { suite: Tls13Suite; serverShare: Buffer } {
  if (hello[0] !== message.serverHello) throw new ProbeFailure("the server did not answer the ClientHello with a ServerHello");
  const body = hello.subarray(4);
  if (body.subarray(2, 34).equals(helloRetryRandom)) throw new ProbeFailure("the server asked for another key exchange (HelloRetryRequest): REALITY's target must speak TLS 1.3 with X25519");
  let at = 34 + 1 + body[34]!;
  const suite = tls13Suites[body.readUInt16BE(at)];
  at += 3;
  const end = at + 2 + body.readUInt16BE(at);
  let version = 0;
  let serverShare: Buffer | undefined;
  for (at += 2; at + 4 <= end; ) {
    const type = body.readUInt16BE(at);
    const data = body.subarray(at + 4, at + 4 + body.readUInt16BE(at + 2));
    if (type === 0x002b) version = data.readUInt16BE(0);
    if (type === 0x0033 && data.readUInt16BE(0) === 0x001d) serverShare = data.subarray(4, 4 + data.readUInt16BE(2));
    at += 4 + data.length;
  }
  if (version !== 0x0304 || !suite) throw new ProbeFailure("the server answered with TLS 1.2 or older: REALITY needs TLS 1.3 from its target");
  if (serverShare?.length !== 32) throw new ProbeFailure("the server did not agree to X25519: REALITY's target must speak TLS 1.3 with X25519");
  return { suite, serverShare };
}

/** The first certificate of a TLS 1.3 Certificate message. */
function firstCertificate(certificate: Buffer): Buffer {
  const body = certificate.subarray(4);
  const at = 1 + body[0]! + 3;
  const length = body.readUIntBE(at, 3);
  if (length === 0 || at + 3 + length > body.length) throw new ProbeFailure("the server sent no certificate");
  return body.subarray(at + 3, at + 3 + length);
}

/** Whether CertificateVerify is the certificate's ed25519 signature over the transcript so far. */
export function certificateVerified(certificateDer: Buffer, suite: Tls13Suite, transcript: readonly Buffer[], certificateVerify: Buffer): boolean {
  const body = certificateVerify.subarray(4);
  const key = ed25519KeyOf(certificateDer);
  if (!key || body.readUInt16BE(0) !== 0x0807) return false;
  const signature = body.subarray(4, 4 + body.readUInt16BE(2));
  const signed = Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from("TLS 1.3, server CertificateVerify\0", "latin1"), transcriptHash(suite, transcript)]);
  return verify(null, signed, key, signature);
}

export const realityProbe: RelayProbe = async (links, { timeoutMs, allowPrivate, unixSeconds }) => {
  const link = parseRealityLink(linkWithScheme(links, "vless://"));
  return probeOver(link.host, link.port, { timeoutMs, allowPrivate }, async (c) => {
    try {
      return await realityHandshake(c, link, unixSeconds());
    } catch (error) {
      // A length field pointing past the message: a reply this check cannot read as TLS 1.3.
      if (error instanceof RangeError) throw new ProbeFailure("the server's handshake messages are malformed: not a TLS 1.3 server");
      throw error;
    }
  });
};

async function realityHandshake(c: ProbeConnection, link: RealityLink, unixSeconds: number): Promise<string> {
  const hello = realityClientHello(link, unixSeconds);
  c.write(hello.record);
  const reader = new HandshakeReader(c);
  const what = "TLS handshake from the server";
  const serverHello = await reader.next(what);
  const { suite, serverShare } = readServerHello(serverHello);
  const shared = diffieHellman({ privateKey: hello.privateKey, publicKey: createPublicKey({ key: { kty: "OKP", crv: "X25519", x: serverShare.toString("base64url") }, format: "jwk" }) });
  const transcript = [hello.message, serverHello];
  const trafficSecret = serverHandshakeSecret(suite, shared, transcript);
  reader.opener = new RecordOpener(suite, trafficSecret);
  let certificate: Buffer | undefined;
  for (;;) {
    const next = await reader.next(what);
    if (next[0] === message.certificate) {
      certificate = firstCertificate(next);
      // REALITY's server sends its temporary certificate only to a hello it authenticated.
      if (!realityCertificateSigned(hello.authKey, certificate)) throw new ProbeFailure(notSignedByNode);
    } else if (next[0] === message.certificateVerify) {
      if (!certificate || !certificateVerified(certificate, suite, transcript, next)) {
        throw new ProbeFailure("the server's CertificateVerify does not hold under its REALITY certificate: the handshake was tampered with");
      }
    } else if (next[0] === message.finished) {
      if (!certificate) throw new ProbeFailure("the server finished its handshake without a certificate");
      if (!serverFinishedValid(suite, trafficSecret, transcript, next.subarray(4))) throw new ProbeFailure("the server's Finished does not match this handshake: the handshake was tampered with");
      return realityAuthenticated;
    } else if (next[0] !== message.encryptedExtensions && next[0] !== message.certificateRequest) {
      throw new ProbeFailure("the server's handshake holds a message TLS 1.3 does not send there");
    }
    transcript.push(next);
  }
}
