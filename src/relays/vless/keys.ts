import { createPrivateKey, createPublicKey } from "node:crypto";

/** PKCS#8 wrapping of a raw X25519 private key (RFC 8410): fixed header, then the 32 bytes. */
const x25519Pkcs8Header = Buffer.from("302e020100300506032b656e04220420", "hex");

function rawPrivateKey(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error("the REALITY private key must be 32 bytes of lowercase hex");
  return Buffer.from(hex, "hex");
}

/** The private key as Xray's config takes it: unpadded base64url of the 32 bytes. */
export function realityPrivateKey(hex: string): string {
  return rawPrivateKey(hex).toString("base64url");
}

/**
 * The public key clients put in `pbk`, derived from the private key: X25519 of the base point,
 * a pure function of the 32 bytes, so it never changes while the private key lives in state.
 * Any 32 bytes are a valid private key (X25519 clamps them itself, as Xray does).
 */
export function realityPublicKey(hex: string): string {
  const key = createPrivateKey({ key: Buffer.concat([x25519Pkcs8Header, rawPrivateKey(hex)]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(key).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("node:crypto gave no X25519 public key");
  return jwk.x;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The VLESS user id, checked: a malformed one would make Xray refuse its whole config. */
export function vlessUserId(uuid: string): string {
  if (!uuidPattern.test(uuid)) throw new Error("the VLESS user id must be a lowercase UUID");
  return uuid;
}

/** A REALITY short id: up to 8 bytes of hex (Xray's limit); the client sends it in its hello. */
export function realityShortId(hex: string): string {
  if (!/^[0-9a-f]{2,16}$/.test(hex) || hex.length % 2 !== 0) throw new Error("the REALITY short id must be 1 to 8 bytes of lowercase hex");
  return hex;
}
