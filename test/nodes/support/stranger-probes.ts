import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { NodeHandle } from "../harness";

/** The bytes a real TLS client opens with (Node's own ClientHello, captured on loopback). */
export async function realClientHello(serverName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.once("data", (hello: Buffer) => {
        resolve(hello);
        socket.destroy();
        server.close();
      });
    });
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      const client = tlsConnect({ host: "127.0.0.1", port, servername: serverName, rejectUnauthorized: false });
      client.on("error", () => undefined);
    });
    server.on("error", reject);
  });
}

/** What internet-wide scanners and curious strangers send to an open port, without any password. */
export async function strangerProbes(host: string, port: number): Promise<Array<{ name: string; bytes: Buffer }>> {
  return [
    { name: "HTTP GET /", bytes: Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: Mozilla/5.0\r\n\r\n`) },
    { name: "CONNECT without credentials", bytes: Buffer.from(`CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`) },
    { name: "TLS ClientHello", bytes: await realClientHello("example.com") },
    { name: "random bytes", bytes: randomBytes(64) },
  ];
}

/** Runs of at least `min` printable ASCII characters (what `strings` shows): words a scanner indexes. */
export function printableRuns(bytes: Buffer, min = 4): string[] {
  return bytes.toString("latin1").match(new RegExp(`[\\x20-\\x7e]{${min},}`, "g")) ?? [];
}

/**
 * Runs a command as a relay would: inside the relay unit's own cgroup (so the unit's IP filter
 * applies to its sockets) and as the relay's user (so the node firewall's per-user rules apply).
 */
export function execAsRelay(node: NodeHandle, unit: string, uid: number, cmd: string, args: readonly string[] = [], input = "") {
  const join = `echo $$ > /sys/fs/cgroup/system.slice/${unit}/cgroup.procs && exec setpriv --reuid=${uid} --regid=${uid} --clear-groups "$@"`;
  return node.exec("sh", ["-c", join, "sh", cmd, ...args], { input });
}
