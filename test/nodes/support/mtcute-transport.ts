/**
 * mtcute's MTProxy transport (FakeTLS `ee` secrets), ready to use from Node: the real client
 * the node tests and benchmarks speak MTProto with. mtcute's Node package pulls a native SQLite
 * build; the transport itself lives in @mtcute/core, and this file only supplies what
 * @mtcute/node would: the TCP socket (@fuman/node) and node:crypto.
 */
import { createCipheriv, createHash, createHmac, randomFillSync } from "node:crypto";
import type { ITcpConnection, TcpEndpoint } from "@fuman/net";
import { connectTcp } from "@fuman/node";
import { BaseMtProxyTransport } from "@mtcute/core";
import { links } from "@mtcute/core/utils.js";

export const nodeCrypto = {
  sha1: (data: Uint8Array) => createHash("sha1").update(data).digest(),
  sha256: (data: Uint8Array) => createHash("sha256").update(data).digest(),
  hmacSha256: (data: Uint8Array, key: Uint8Array) => createHmac("sha256", key).update(data).digest(),
  createAesCtr: (key: Uint8Array, iv: Uint8Array) => {
    const cipher = createCipheriv(`aes-${key.length * 8}-ctr`, key, iv);
    return { process: (data: Uint8Array) => new Uint8Array(cipher.update(data)) };
  },
  randomFill: (buf: Uint8Array) => void randomFillSync(buf),
  randomBytes: (size: number) => randomFillSync(new Uint8Array(size)),
};
export const silentLogger: any = { create: () => silentLogger, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, verbose: () => {} };

/** Keeps every byte written and read, so a test can compare them with what servers saw. */
export class RecordedConnection {
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];
  constructor(readonly inner: ITcpConnection) {}
  async write(bytes: Uint8Array): Promise<void> {
    this.sent.push(Buffer.from(bytes));
    await this.inner.write(bytes);
  }
  async read(into: Uint8Array): Promise<number> {
    const n = await this.inner.read(into);
    this.received.push(Buffer.from(into.subarray(0, n)));
    return n;
  }
  close(): void {
    this.inner.close();
  }
}

export class RecordingMtProxyTransport extends BaseMtProxyTransport {
  connection: RecordedConnection | undefined;
  override async _connectTcp(endpoint: TcpEndpoint): Promise<ITcpConnection> {
    this.connection = new RecordedConnection(await connectTcp(endpoint));
    return this.connection as unknown as ITcpConnection;
  }
}

/** Parses a tg://proxy or https://t.me/proxy link the way mtcute does, into a ready transport. */
export function mtproxyTransport(link: string): RecordingMtProxyTransport {
  const proxy = links.mtproxy.parse(link);
  if (!proxy) throw new Error(`not an MTProto proxy link: ${link}`);
  const transport = new RecordingMtProxyTransport({ host: proxy.server, port: proxy.port, secret: proxy.secret });
  transport.setup(nodeCrypto as any, silentLogger);
  return transport;
}

/** An unencrypted req_pq_multi: what every MTProto client sends first to start a session. */
export function reqPqMulti(): Uint8Array {
  const message = Buffer.alloc(40);
  // auth_key_id 0 (unencrypted), message_id (time-based, bottom bits 0), length, req_pq_multi#be7e8ef1, nonce.
  message.writeBigUInt64LE(BigInt(Math.floor(Date.now() / 1000)) << 32n, 8);
  message.writeUInt32LE(20, 16);
  message.writeUInt32LE(0xbe7e8ef1, 20);
  randomFillSync(message, 24, 16);
  return message;
}
