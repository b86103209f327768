import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { probeOver, ProbeFailure } from "../connection";
import type { RelayProbe } from "../types";
import { parseSip002Link } from "../../links/shadowsocks";
import { linkField, socksAddress } from "./link-fields";

/** AEAD ciphers of Shadowsocks (SIP004) that Node's crypto has: key and salt sizes. */
const ciphers: Readonly<Record<string, { node: "chacha20-poly1305" | "aes-256-gcm" | "aes-128-gcm"; keyBytes: number }>> = {
  "chacha20-ietf-poly1305": { node: "chacha20-poly1305", keyBytes: 32 },
  "aes-256-gcm": { node: "aes-256-gcm", keyBytes: 32 },
  "aes-128-gcm": { node: "aes-128-gcm", keyBytes: 16 },
};
const tagBytes = 16;

/** OpenSSL's EVP_BytesToKey with MD5, as every Shadowsocks implementation derives its master key. */
export function masterKey(password: string, keyBytes: number): Buffer {
  const parts: Buffer[] = [];
  let last = Buffer.alloc(0);
  while (Buffer.concat(parts).length < keyBytes) {
    last = createHash("md5").update(Buffer.concat([last, Buffer.from(password, "utf8")])).digest();
    parts.push(last);
  }
  return Buffer.concat(parts).subarray(0, keyBytes);
}

/** One direction of an AEAD stream: a subkey from the salt, a little-endian nonce counted up per seal. */
export class AeadStream {
  private readonly key: Buffer;
  private readonly nonce = Buffer.alloc(12);
  constructor(
    private readonly cipher: (typeof ciphers)[string],
    master: Buffer,
    salt: Buffer,
  ) {
    this.key = Buffer.from(hkdfSync("sha1", master, salt, "ss-subkey", cipher.keyBytes));
  }
  private next(): Buffer {
    const current = Buffer.from(this.nonce);
    for (let i = 0; i < this.nonce.length; i++) if (++this.nonce[i]! !== 256) break;
    return current;
  }
  seal(plain: Buffer): Buffer {
    const c = createCipheriv(this.cipher.node, this.key, this.next(), { authTagLength: tagBytes } as never) as ReturnType<typeof createCipheriv> & { getAuthTag(): Buffer };
    return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  }
  open(sealed: Buffer): Buffer {
    const d = createDecipheriv(this.cipher.node, this.key, this.next(), { authTagLength: tagBytes } as never) as ReturnType<typeof createDecipheriv> & { setAuthTag(t: Buffer): void };
    d.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    try {
      return Buffer.concat([d.update(sealed.subarray(0, sealed.length - tagBytes)), d.final()]);
    } catch {
      throw new ProbeFailure("the reply does not decrypt with the link's password");
    }
  }
  /** A chunk: sealed length, then sealed payload. */
  chunk(payload: Buffer): Buffer {
    const length = Buffer.from([payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([this.seal(length), this.seal(payload)]);
  }
}

/** server, port, method and password of a SIP002 `ss://` link (AEAD: base64url userinfo). */
export function parseAccessKey(link: string): { server: string; port: number; method: string; password: string } {
  const key = parseSip002Link(link);
  if ("problem" in key) throw new ProbeFailure(`the access key ${key.problem}`);
  return key;
}

/**
 * Shadowsocks AEAD: a request to the target's HTTP port sealed with the link's password, and an
 * answer that must open with it and be HTTP. A wrong password gets no answer (the server
 * cannot open the request), which is also what an unreachable target looks like.
 */
export const shadowsocksProbe: RelayProbe = async (links, { target, timeoutMs, allowPrivate }) => {
  const key = parseAccessKey(linkField(links, "accessKey"));
  const cipher = ciphers[key.method];
  if (!cipher) throw new ProbeFailure(`method ${key.method} is not one check can speak (${Object.keys(ciphers).join(", ")})`);
  const master = masterKey(key.password, cipher.keyBytes);
  return probeOver(key.server, key.port, { timeoutMs, allowPrivate }, async (c) => {
    const salt = randomBytes(cipher.keyBytes);
    const out = new AeadStream(cipher, master, salt);
    const request = Buffer.from(`HEAD / HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`, "latin1");
    c.write(Buffer.concat([salt, out.chunk(Buffer.concat([socksAddress(target.host, target.requestPort), request]))]));
    const what = `an answer from ${target.host}:${target.requestPort} through the relay (none comes with a wrong password)`;
    const back = new AeadStream(cipher, master, await c.read(cipher.keyBytes, what));
    const length = back.open(await c.read(2 + tagBytes, what)).readUInt16BE(0);
    const answer = back.open(await c.read(length + tagBytes, what));
    if (!answer.subarray(0, 5).equals(Buffer.from("HTTP/"))) throw new ProbeFailure(`the answer through the relay is not HTTP from ${target.host}:${target.requestPort}`);
    return `request sealed with the link's password reached ${target.host}:${target.requestPort}; the answer opened with it`;
  });
};
