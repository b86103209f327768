import { createDecipheriv, createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ProbeFailure } from "../connection";

/**
 * The client's half of the TLS 1.3 key schedule (RFC 8446 section 7) as far as reading the
 * server's first flight: handshake traffic keys, record decryption and the server's Finished.
 * Node's TLS cannot be used for a REALITY hello (it does not let the caller set the session id),
 * so the probe speaks TLS 1.3 itself over a plain socket.
 */

export interface Tls13Suite {
  /** Node's cipher name. */
  aead: "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305";
  hash: "sha256" | "sha384";
  keyBytes: number;
  hashBytes: number;
}

/** The three suites TLS 1.3 servers choose between (RFC 8446 B.4); REALITY mirrors its target's pick. */
export const tls13Suites: Readonly<Record<number, Tls13Suite>> = {
  0x1301: { aead: "aes-128-gcm", hash: "sha256", keyBytes: 16, hashBytes: 32 },
  0x1302: { aead: "aes-256-gcm", hash: "sha384", keyBytes: 32, hashBytes: 48 },
  0x1303: { aead: "chacha20-poly1305", hash: "sha256", keyBytes: 32, hashBytes: 32 },
};

const tagBytes = 16;
const ivBytes = 12;

/** HKDF-Expand (RFC 5869): Node's hkdfSync always extracts first, TLS 1.3 needs the halves apart. */
function hkdfExpand(hash: string, prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac(hash, prk).update(Buffer.concat([previous, info, Buffer.from([i])])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const hkdfExtract = (hash: string, salt: Buffer, ikm: Buffer) => createHmac(hash, salt).update(ikm).digest();

/** HKDF-Expand-Label: the label is prefixed "tls13 ", length and context framed (RFC 8446 7.1). */
export function expandLabel(suite: Tls13Suite, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([context.length]), context]);
  return hkdfExpand(suite.hash, secret, info, length);
}

export const transcriptHash = (suite: Tls13Suite, messages: readonly Buffer[]) => createHash(suite.hash).update(Buffer.concat(messages)).digest();

/** The server's handshake traffic secret, from the (EC)DHE shared secret and ClientHello..ServerHello. */
export function serverHandshakeSecret(suite: Tls13Suite, sharedSecret: Buffer, helloTranscript: readonly Buffer[]): Buffer {
  const zeros = Buffer.alloc(suite.hashBytes);
  const early = hkdfExtract(suite.hash, zeros, zeros);
  const derived = expandLabel(suite, early, "derived", transcriptHash(suite, []), suite.hashBytes);
  const handshake = hkdfExtract(suite.hash, derived, sharedSecret);
  return expandLabel(suite, handshake, "s hs traffic", transcriptHash(suite, helloTranscript), suite.hashBytes);
}

/** Whether `verifyData` is the server's Finished over the transcript up to its CertificateVerify. */
export function serverFinishedValid(suite: Tls13Suite, trafficSecret: Buffer, transcript: readonly Buffer[], verifyData: Buffer): boolean {
  const finishedKey = expandLabel(suite, trafficSecret, "finished", Buffer.alloc(0), suite.hashBytes);
  const expected = createHmac(suite.hash, finishedKey).update(transcriptHash(suite, transcript)).digest();
  return expected.length === verifyData.length && timingSafeEqual(expected, verifyData);
}

/** Opens the records of one direction under one traffic secret, counting the sequence number. */
export class RecordOpener {
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private sequence = 0n;

  constructor(
    private readonly suite: Tls13Suite,
    trafficSecret: Buffer,
  ) {
    this.key = expandLabel(suite, trafficSecret, "key", Buffer.alloc(0), suite.keyBytes);
    this.iv = expandLabel(suite, trafficSecret, "iv", Buffer.alloc(0), ivBytes);
  }

  /** An application_data record (header included) -> its inner content type and content. */
  open(record: Buffer): { type: number; content: Buffer } {
    const nonce = Buffer.from(this.iv);
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(this.sequence++);
    for (let i = 0; i < 8; i++) nonce[ivBytes - 8 + i]! ^= counter[i]!;
    const body = record.subarray(5);
    if (body.length < tagBytes + 1) throw new ProbeFailure("the server sent an encrypted record too short to hold anything");
    const decipher = createDecipheriv(this.suite.aead, this.key, nonce, { authTagLength: tagBytes } as never) as ReturnType<typeof createDecipheriv> & {
      setAuthTag(tag: Buffer): void;
      setAAD(aad: Buffer): void;
    };
    decipher.setAAD(record.subarray(0, 5));
    decipher.setAuthTag(body.subarray(body.length - tagBytes));
    let inner: Buffer;
    try {
      inner = Buffer.concat([decipher.update(body.subarray(0, body.length - tagBytes)), decipher.final()]);
    } catch {
      throw new ProbeFailure("the server's encrypted handshake does not decrypt with the keys this handshake agreed: not a TLS 1.3 server this check can follow");
    }
    // TLSInnerPlaintext: content, the real content type, then zero padding.
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) throw new ProbeFailure("the server sent an encrypted record with no content type");
    return { type: inner[end]!, content: inner.subarray(0, end) };
  }
}
