/**
 * A real, independent MTProto proxy client for the node tests: mtcute's MTProxy transport
 * (FakeTLS `ee` secrets), run inside the client namespace:
 *   `ip netns exec <ns> node tsx/cli mtproto-client.ts <tg://proxy or https://t.me/proxy link> [full|handshake|replay]`
 * It parses the link the way mtcute does, performs the FakeTLS handshake (mtcute checks the
 * server's HMAC against the link's secret), then the obfuscated2 handshake for DC 2, and waits
 * for the proxy to close. Prints one JSON line: whether the handshake held, the bytes it sent
 * and every byte it received (also after a failure, until the server closes or 2 s pass).
 * `handshake` stops after FakeTLS (a quick "does it serve"). With `replay`, right after a good
 * handshake it sends the same ClientHello bytes again on a new connection (within mtg's clock
 * tolerance) and reports what came back.
 */
import { connect } from "node:net";
import { Bytes } from "@fuman/io";
import { mtproxyTransport, nodeCrypto, reqPqMulti, silentLogger, type RecordedConnection } from "./mtcute-transport";

/** Reads until the server closes or `ms` pass. */
async function drain(conn: RecordedConnection, ms: number): Promise<void> {
  const buf = new Uint8Array(65536);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const n = await Promise.race([conn.read(buf).catch(() => 0), new Promise<number>((r) => setTimeout(() => r(-1), deadline - Date.now()))]);
    if (n <= 0) return;
  }
}

/** Sends `bytes` on a fresh connection and collects the answer until close or `ms`. */
function sendRaw(host: string, port: number, bytes: Buffer, ms: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, host, () => socket.write(bytes));
    const done = () => (socket.destroy(), resolve(Buffer.concat(chunks)));
    socket.on("data", (b: Buffer) => chunks.push(b));
    socket.on("close", done).on("error", done);
    setTimeout(done, ms);
  });
}

async function main(): Promise<void> {
  const link = process.argv[2] ?? "";
  const mode = process.argv[3] ?? "full";
  const transport = mtproxyTransport(link);
  const { host: server, port } = transport._proxy;
  let handshake: { ok: true } | { ok: false; error: string };
  let replayReceived: Buffer | undefined;
  try {
    await transport.connect();
    handshake = { ok: true };
    if (mode === "replay") {
      replayReceived = await sendRaw(server, port, transport.connection!.sent[0]!, 2000);
    }
    if (mode !== "handshake") {
      // The first MTProto message, as a client starts a session: obfuscated2's 64-byte header
      // (which names the data centre mtg must dial) travels in front of it, inside a TLS record.
      const codec = transport.packetCodec({ id: 2, ipAddress: "0.0.0.0", port: 443 } as any);
      codec.setup?.(nodeCrypto as any, silentLogger);
      await codec.tag();
      const frame = Bytes.alloc();
      await codec.encode(reqPqMulti(), frame);
      await transport.connection!.write(frame.result());
    }
  } catch (error) {
    handshake = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const conn = transport.connection;
  if (conn) {
    // After a good handshake, stay while mtg dials Telegram (its TCP timeout is 10 s).
    await drain(conn, !handshake.ok ? 2000 : mode === "handshake" ? 0 : 12_000);
    conn.close();
  }
  process.stdout.write(
    `${JSON.stringify({
      ...handshake,
      sent: Buffer.concat(conn?.sent ?? []).toString("hex"),
      received: Buffer.concat(conn?.received ?? []).toString("hex"),
      clientHello: (conn?.sent[0] ?? Buffer.alloc(0)).toString("hex"),
      ...(replayReceived !== undefined ? { replayReceived: replayReceived.toString("hex") } : {}),
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error), sent: "", received: "", clientHello: "" })}\n`);
    process.exit(0);
  },
);
