import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { buildGoPeer, xrayPeer } from "../../peers/go-peers";
import { xrayClientConfig, type ParsedVlessLink } from "../../peers/vless-link";

export interface XrayClient {
  /** SOCKS5 URL of the client's local inbound, for curl --proxy. */
  socksUrl: string;
  /** What the client logged (debug level): why a handshake failed. */
  log(): string;
  stop(): void;
}

let nextPort = 12080;

/** Starts the real Xray as a client app would run it, in the client namespace, from a parsed link. */
export async function startXrayClient(network: BlackoutNetwork, link: ParsedVlessLink, logLevel: "debug" | "warning" = "debug"): Promise<XrayClient> {
  const xray = await buildGoPeer(xrayPeer);
  const port = nextPort++;
  const dir = mkdtempSync(join(tmpdir(), "lifeline-xray-client-"));
  const config = join(dir, "client.json");
  const logFile = join(dir, "client.log");
  writeFileSync(config, xrayClientConfig(link, port, logLevel));
  writeFileSync(logFile, "");
  const out = openSync(logFile, "a");
  const child = spawn("ip", ["netns", "exec", network.plan.ns.client, xray, "run", "-config", config], { stdio: ["ignore", out, out] });
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  const log = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "(the client has been stopped)";
    }
  };
  for (let i = 0; i < 100; i++) {
    const r = await network.execIn("client", "ss", ["-Hltn", `sport = :${port}`]);
    if (r.stdout.trim() !== "") return { socksUrl: `socks5h://127.0.0.1:${port}`, log, stop };
    await new Promise((res) => setTimeout(res, 100));
  }
  const printed = log();
  stop();
  throw new Error(`the Xray client did not start listening:\n${printed}`);
}
