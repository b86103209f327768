import { createCipheriv, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, timingSafeEqual, X509Certificate, type KeyObject } from "node:crypto";
import { ProbeFailure } from "../connection";
import { extension, u16, withLength16 } from "./faketls";

/**
 * REALITY's client authentication, as Xray-core's client does it (transport/internet/reality):
 * the ClientHello's 32-byte session id is AES-256-GCM over (client version, 0, Unix time, short
 * id), keyed by HKDF-SHA256(X25519(client key share, node's public key), salt = random[0:20],
 * info "REALITY"), nonce = random[20:32], additional data = the ClientHello with a zero session
 * id. A server holding the node's private key answers with a throwaway ed25519 certificate whose
 * signature field is HMAC-SHA512(that same key, the certificate's public key).
 */

export interface RealityLink {
  host: string;
  port: number;
  /** The target's name the node answers for: the ClientHello's SNI. */
  serverName: string;
  /** The node's X25519 public key (`pbk`). */
  publicKey: Buffer;
  /** `sid`, zero-padded to 8 bytes as Xray does. */
  shortId: Buffer;
}

/**
 * The fields of a `vless://uuid@host:port?security=reality&sni=..&pbk=..&sid=..` link that a
 * REALITY handshake needs. Errors name the field, never echo the link (its uuid is the secret).
 */
export function parseRealityLink(link: string): RealityLink {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new ProbeFailure("the vless link does not parse as vless://uuid@host:port?...");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port);
  if (url.protocol !== "vless:" || host === "" || !Number.isInteger(port) || port < 1 || port > 65535) throw new ProbeFailure("the vless link has no host and port");
  const q = url.searchParams;
  if (q.get("security") !== "reality") throw new ProbeFailure("the vless link is not a REALITY link (security=reality)");
  const serverName = q.get("sni") ?? "";
  if (serverName === "") throw new ProbeFailure("the vless link has no sni (the target's name REALITY answers for)");
  const publicKey = Buffer.from(q.get("pbk") ?? "", "base64url");
  if (publicKey.length !== 32) throw new ProbeFailure("the vless link's pbk is not a 32-byte X25519 public key in base64url");
  const sid = q.get("sid") ?? "";
  if (!/^([0-9a-fA-F]{2}){0,8}$/.test(sid)) throw new ProbeFailure("the vless link's sid is not a short id of up to 16 hex digits");
  const shortId = Buffer.alloc(8);
  Buffer.from(sid, "hex").copy(shortId);
  return { host, port, serverName, publicKey, shortId };
}

/** The version REALITY servers see; Xray refuses clients older than its minClientVer, if set. */
const clientVersion = [26, 3, 27];
/** The session id's place in the ClientHello message: type, length, version, random, id length. */
const sessionIdOffset = 4 + 2 + 32 + 1;

/** The 32 raw bytes of an X25519 or ed25519 public key. */
const rawPublicKey = (key: KeyObject) => Buffer.from(key.export({ format: "jwk" }).x ?? "", "base64url");

/** The key that seals the session id and signs the temporary certificate. */
function authKey(sharedSecret: Buffer, random: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", sharedSecret, random.subarray(0, 20), "REALITY", 32));
}

function clientHelloMessage(serverName: string, random: Buffer, keyShare: Buffer): Buffer {
  const name = Buffer.from(serverName, "latin1");
  const extensions = Buffer.concat([
    extension(0x0000, withLength16(Buffer.concat([Buffer.from([0]), withLength16(name)]))), // server_name
    extension(0x000a, withLength16(Buffer.from([0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]))), // supported_groups
    // signature_algorithms, ed25519 (0x0807) among them: REALITY's temporary certificate is ed25519.
    extension(0x000d, withLength16(Buffer.from([0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01, 0x08, 0x07, 0x08, 0x06, 0x06, 0x01]))),
    extension(0x0010, withLength16(Buffer.from("\x02h2\x08http/1.1", "latin1"))), // ALPN
    extension(0x002b, Buffer.from([0x04, 0x03, 0x04, 0x03, 0x03])), // supported_versions: 1.3, 1.2
    extension(0x002d, Buffer.from([0x01, 0x01])), // psk_key_exchange_modes
    extension(0x0033, withLength16(Buffer.concat([u16(0x001d), withLength16(keyShare)]))), // key_share: X25519
  ]);
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    random,
    Buffer.from([32]),
    Buffer.alloc(32), // the session id, sealed below
    withLength16(Buffer.from([0x13, 0x01, 0x13, 0x02, 0x13, 0x03])),
    Buffer.from([0x01, 0x00]),
    withLength16(extensions),
  ]);
  return Buffer.concat([Buffer.from([0x01, 0, body.length >> 8, body.length & 0xff]), body]);
}

export interface RealityHello {
  /** The ClientHello handshake message (no record header): the transcript starts with it. */
  message: Buffer;
  record: Buffer;
  /** The client's X25519 key for the TLS key exchange. */
  privateKey: KeyObject;
  authKey: Buffer;
}

/** A ClientHello that authenticates to the node holding `link.publicKey`'s private key, at `unixSeconds`. */
export function realityClientHello(link: RealityLink, unixSeconds: number): RealityHello {
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  const random = randomBytes(32);
  const message = clientHelloMessage(link.serverName, random, rawPublicKey(publicKey));
  const nodeKey = createPublicKey({ key: { kty: "OKP", crv: "X25519", x: link.publicKey.toString("base64url") }, format: "jwk" });
  const key = authKey(diffieHellman({ privateKey, publicKey: nodeKey }), random);
  const plain = Buffer.alloc(16);
  Buffer.from([...clientVersion, 0]).copy(plain);
  plain.writeUInt32BE(unixSeconds >>> 0, 4);
  link.shortId.copy(plain, 8);
  const cipher = createCipheriv("aes-256-gcm", key, random.subarray(20));
  cipher.setAAD(message); // the session id is still zero here, as the server zeroes it to open
  Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]).copy(message, sessionIdOffset);
  const record = Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), withLength16(message)]);
  return { message, record, privateKey, authKey: key };
}

/** A DER element's header: where its content starts and ends. */
function derElement(der: Buffer, at: number): { start: number; end: number } {
  const first = der[at + 1];
  if (first === undefined) throw new ProbeFailure("the server's certificate is cut short");
  if (first < 0x80) return { start: at + 2, end: at + 2 + first };
  const lengthBytes = first & 0x7f;
  const length = der.subarray(at + 2, at + 2 + lengthBytes).reduce((n, b) => n * 256 + b, 0);
  return { start: at + 2 + lengthBytes, end: at + 2 + lengthBytes + length };
}

/** signatureValue of an X.509 certificate: the third element of its outer SEQUENCE, unused-bits byte dropped. */
function certificateSignature(der: Buffer): Buffer {
  const outer = derElement(der, 0);
  const signatureAlgorithm = derElement(der, derElement(der, outer.start).end).end;
  const value = derElement(der, signatureAlgorithm);
  return der.subarray(value.start + 1, value.end);
}

/** The certificate's public key, if it is the ed25519 key a REALITY certificate holds. */
export function ed25519KeyOf(der: Buffer): KeyObject | undefined {
  try {
    const key = new X509Certificate(der).publicKey;
    return key.asymmetricKeyType === "ed25519" ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `der` is REALITY's temporary certificate for this handshake's auth key. */
export function realityCertificateSigned(key: Buffer, der: Buffer): boolean {
  const publicKey = ed25519KeyOf(der);
  if (!publicKey) return false;
  const expected = createHmac("sha512", key).update(rawPublicKey(publicKey)).digest();
  const signature = certificateSignature(der);
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}
