import { createHmac, generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * MTProto proxy FakeTLS, client side, as mtg and Telegram's clients speak it: a TLS 1.3-looking
 * ClientHello whose random field is an HMAC-SHA256 of the record under the secret's key (XOR the
 * time), and a server reply whose ServerHello random is an HMAC over the client's random and the
 * whole reply. Only a server holding the key can produce that reply.
 */

const recordHeaderBytes = 5;
/** Where the 32-byte random sits in a ClientHello or ServerHello record: header, handshake header, version. */
const randomOffset = recordHeaderBytes + 4 + 2;
const randomBytesLength = 32;

export interface FakeTlsSecret {
  /** The 16-byte key both sides sign with. */
  key: Buffer;
  /** The fronting host the secret names: the ClientHello's SNI. */
  host: string;
}

/** The secret of an `ee` (FakeTLS) link, hex or base64url, as Telegram clients accept it. */
export function parseFakeTlsSecret(secret: string): FakeTlsSecret | undefined {
  const bytes = /^[0-9a-fA-F]+$/.test(secret) && secret.length % 2 === 0 ? Buffer.from(secret, "hex") : Buffer.from(secret, "base64url");
  if (bytes.length < 18 || bytes[0] !== 0xee) return undefined;
  return { key: bytes.subarray(1, 17), host: bytes.subarray(17).toString("latin1") };
}

export const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
export const withLength16 = (body: Buffer) => Buffer.concat([u16(body.length), body]);
export const extension = (type: number, body: Buffer) => Buffer.concat([u16(type), withLength16(body)]);

function x25519PublicKey(): Buffer {
  const der = generateKeyPairSync("x25519").publicKey.export({ type: "spki", format: "der" });
  return der.subarray(der.length - 32);
}

/** The extensions a TLS 1.3 client sends; mtg reads only the SNI, but a hello should look like one. */
function extensions(host: string): Buffer {
  const name = Buffer.from(host, "latin1");
  return Buffer.concat([
    extension(0x0000, withLength16(Buffer.concat([Buffer.from([0]), withLength16(name)]))), // server_name
    extension(0x000a, withLength16(Buffer.from([0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]))), // supported_groups
    extension(0x000d, withLength16(Buffer.from([0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01]))), // signature_algorithms
    extension(0x0010, withLength16(Buffer.from("\x02h2\x08http/1.1", "latin1"))), // ALPN
    extension(0x002b, Buffer.from([0x04, 0x03, 0x04, 0x03, 0x03])), // supported_versions: 1.3, 1.2
    extension(0x002d, Buffer.from([0x01, 0x01])), // psk_key_exchange_modes
    extension(0x0033, withLength16(Buffer.concat([u16(0x001d), withLength16(x25519PublicKey())]))), // key_share
  ]);
}

/**
 * A signed ClientHello record for `secret`, at `unixSeconds` (mtg refuses hellos whose time is
 * off by more than a few seconds). Returns the record and its random, which the reply signs.
 */
export function signedClientHello(secret: FakeTlsSecret, unixSeconds: number): { record: Buffer; random: Buffer } {
  const suites = Buffer.from([0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8]);
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    Buffer.alloc(randomBytesLength), // signed below
    Buffer.from([32]),
    randomBytes(32), // session id: mtg's anti-replay cache keys on it
    withLength16(suites),
    Buffer.from([0x01, 0x00]),
    withLength16(extensions(secret.host)),
  ]);
  const handshake = Buffer.concat([Buffer.from([0x01, 0, body.length >> 8, body.length & 0xff]), body]);
  const record = Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), withLength16(handshake)]);
  const random = createHmac("sha256", secret.key).update(record).digest();
  const time = Buffer.alloc(4);
  time.writeUInt32LE(unixSeconds >>> 0);
  for (let i = 0; i < 4; i++) random[randomBytesLength - 4 + i]! ^= time[i]!;
  random.copy(record, randomOffset);
  return { record, random };
}

/** TLS records in a reply: type, and the whole record (header included). */
export function splitRecords(bytes: Buffer): { complete: Array<{ type: number; record: Buffer }>; needed: number } {
  const complete: Array<{ type: number; record: Buffer }> = [];
  let at = 0;
  while (bytes.length - at >= recordHeaderBytes) {
    const size = recordHeaderBytes + bytes.readUInt16BE(at + 3);
    if (bytes.length - at < size) return { complete, needed: at + size };
    complete.push({ type: bytes[at]!, record: bytes.subarray(at, at + size) });
    at += size;
  }
  return { complete, needed: at + recordHeaderBytes };
}

/**
 * Whether the server's first flight (ServerHello, ChangeCipherSpec, ApplicationData records, as
 * one byte string) is signed with the key for this ClientHello random.
 */
export function serverReplySigned(key: Buffer, clientRandom: Buffer, reply: Buffer): boolean {
  if (reply.length < randomOffset + randomBytesLength) return false;
  const claimed = Buffer.from(reply.subarray(randomOffset, randomOffset + randomBytesLength));
  const zeroed = Buffer.from(reply);
  zeroed.fill(0, randomOffset, randomOffset + randomBytesLength);
  const expected = createHmac("sha256", key).update(clientRandom).update(zeroed).digest();
  return timingSafeEqual(claimed, expected);
}
