import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/** How a load client reaches its target: directly, or through a relay. */
export type Via =
  | { kind: "direct" }
  | { kind: "socks5"; host: string; port: number; user?: string; pass?: string }
  | { kind: "http"; host: string; port: number; user: string; pass: string }
  /** The https relay: TLS to the proxy (trusting `ca`, PEM), then the same CONNECT inside it. */
  | { kind: "https"; host: string; port: number; user: string; pass: string; ca: string };

export interface Target {
  host: string;
  port: number;
}

function readUntil(socket: Socket, done: (data: Buffer) => number | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const used = done(buffer);
      if (used === null) return;
      socket.off("data", onData);
      socket.off("error", reject);
      const rest = buffer.subarray(used);
      if (rest.length > 0) socket.unshift(rest);
      resolve(buffer.subarray(0, used));
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("closed during handshake")));
  });
}

async function socks5(socket: Socket, via: Extract<Via, { kind: "socks5" }>, target: Target): Promise<void> {
  const withPassword = via.user !== undefined;
  socket.write(Buffer.from([5, 1, withPassword ? 2 : 0]));
  const method = await readUntil(socket, (b) => (b.length >= 2 ? 2 : null));
  if (method[1] !== (withPassword ? 2 : 0)) throw new Error("socks5: method refused");
  if (withPassword) {
    const u = Buffer.from(via.user!);
    const p = Buffer.from(via.pass ?? "");
    socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
    const auth = await readUntil(socket, (b) => (b.length >= 2 ? 2 : null));
    if (auth[1] !== 0) throw new Error("socks5: authentication refused");
  }
  const ip = target.host.split(".").map(Number);
  socket.write(Buffer.from([5, 1, 0, 1, ...ip, target.port >> 8, target.port & 0xff]));
  const reply = await readUntil(socket, (b) => (b.length >= 10 ? 10 : null));
  if (reply[1] !== 0) throw new Error(`socks5: connect refused (${reply[1]})`);
}

async function httpConnect(socket: Socket, via: Extract<Via, { kind: "http" | "https" }>, target: Target): Promise<void> {
  const auth = Buffer.from(`${via.user}:${via.pass}`).toString("base64");
  socket.write(`CONNECT ${target.host}:${target.port} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nProxy-Authorization: Basic ${auth}\r\n\r\n`);
  const head = await readUntil(socket, (b) => {
    const end = b.indexOf("\r\n\r\n");
    return end === -1 ? null : end + 4;
  });
  if (!/^HTTP\/1\.[01] 200/.test(head.toString())) throw new Error(`CONNECT refused: ${head.toString().split("\r\n")[0]}`);
}

/** A TCP stream to `target`, through `via`, from `localAddress` if given; resolves once data can flow. */
export async function openTunnel(via: Via, target: Target, timeoutMs = 10_000, localAddress?: string): Promise<Socket> {
  const first = via.kind === "direct" ? target : { host: via.host, port: via.port };
  const from = localAddress ? { localAddress } : {};
  // The proxy's certificate is for its IP address: Node checks it against the IP, without SNI.
  const socket = via.kind === "https" ? tlsConnect({ ...first, ...from, ca: via.ca }) : connect({ ...first, ...from });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error("timeout")));
  await new Promise<void>((resolve, reject) => {
    socket.once(via.kind === "https" ? "secureConnect" : "connect", resolve);
    socket.once("error", reject);
  });
  try {
    if (via.kind === "socks5") await socks5(socket, via, target);
    if (via.kind === "http" || via.kind === "https") await httpConnect(socket, via, target);
  } catch (e) {
    socket.destroy();
    throw e;
  }
  socket.setTimeout(0);
  return socket;
}
