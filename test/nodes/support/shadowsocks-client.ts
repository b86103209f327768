import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";

export interface ShadowsocksLocal {
  /** SOCKS5 URL of the local ss-local, for curl --proxy. */
  socksUrl: string;
  stop(): void;
}

/**
 * Reads a SIP002 link as a client would: userinfo is base64url of "method:password".
 * (No Shadowsocks client's own SIP002 parser can be installed here; ss-local then proves the
 * decoded values are right by talking to the real server.)
 */
export function parseSip002(link: string): { server: string; server_port: number; method: string; password: string } {
  const url = new URL(link.replace(/^ss:/, "http:"));
  const userinfo = Buffer.from(decodeURIComponent(url.username), "base64url").toString("utf8");
  const colon = userinfo.indexOf(":");
  return { server: url.hostname, server_port: Number(url.port), method: userinfo.slice(0, colon), password: userinfo.slice(colon + 1) };
}

let nextPort = 11080;

/**
 * Starts Debian's ss-local in the client namespace from a server entry, passed to ss-local
 * as its own JSON config (a SIP008 server object is read by ss-local's parser as it is).
 */
export async function startSsLocal(network: BlackoutNetwork, server: Record<string, unknown>): Promise<ShadowsocksLocal> {
  const port = nextPort++;
  const dir = mkdtempSync(join(tmpdir(), "lifeline-ss-"));
  const config = join(dir, "ss-local.json");
  writeFileSync(config, JSON.stringify({ ...server, local_address: "127.0.0.1", local_port: port }));
  const child = spawn("ip", ["netns", "exec", network.plan.ns.client, "ss-local", "-c", config], { stdio: "ignore" });
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    const r = await network.execIn("client", "ss", ["-Hltn", `sport = :${port}`]);
    if (r.stdout.trim() !== "") return { socksUrl: `socks5h://127.0.0.1:${port}`, stop };
    await new Promise((res) => setTimeout(res, 100));
  }
  stop();
  throw new Error("ss-local did not start listening");
}
