import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { macMessage, nonceBytes } from "../probe/protocol";

/**
 * The answer only the probe can give for this nonce and port. Pure JavaScript (noble-hashes), so
 * the browser scanner computes it too: WebCrypto exists only in secure contexts, and the browser
 * scanner runs from a file or a plain-http page.
 */
export function expectedAnswer(token: string, nonce: string, port: number): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(token), utf8ToBytes(macMessage(nonce, port))));
}

/**
 * A fresh nonce as hex. The caller passes its secure random source: Node 18 has no global
 * `crypto` (node:crypto's randomBytes), browsers have `crypto.getRandomValues`.
 */
export function newNonce(randomBytes: (length: number) => Uint8Array): string {
  return bytesToHex(randomBytes(nonceBytes));
}

/** Whether a body looks like a probe's answer (64 hex digits), right or wrong. */
export function isProbeShaped(body: string | undefined): boolean {
  return body !== undefined && /^[0-9a-f]{64}$/.test(body);
}
