import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGoPeer, versitygwPeer } from "../../peers/go-peers";
import { freePort } from "./pebble";

export interface S3Server {
  /** `http://127.0.0.1:<port>`: the S3 API, every request SigV4-checked against `credentials`. */
  endpoint: string;
  /** The region the server signs in (a request signed for another is refused). */
  region: string;
  /** The root account's keys, made for this run. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): void;
}

/**
 * versitygw (built from its tagged Go module, cached) on loopback over a throwaway folder: a real
 * S3 API that refuses unsigned or badly signed requests, unlike a hand-written stand-in.
 */
export async function startS3Server(region = "us-east-1"): Promise<S3Server> {
  // The tests' own S3 clients: no notice about SDK releases after this pinned one needing Node 22.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const binary = await buildGoPeer(versitygwPeer);
  const root = mkdtempSync(join(tmpdir(), "s3-server-"));
  mkdirSync(join(root, "data"));
  const port = await freePort();
  const credentials = { accessKeyId: `test${randomBytes(8).toString("hex")}`, secretAccessKey: randomBytes(24).toString("base64url") };
  // Keys through the environment, not argv (any local user could read a process's arguments).
  const child: ChildProcess = spawn(binary, ["--port", `127.0.0.1:${port}`, "--region", region, "--quiet", "--health", "/health", "posix", join(root, "data")], {
    env: { PATH: process.env["PATH"] ?? "", ROOT_ACCESS_KEY_ID: credentials.accessKeyId, ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`versitygw exited (${child.exitCode}): ${stderr}`);
    }
    const up = await fetch(`${endpoint}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      stop();
      throw new Error(`versitygw did not answer on ${endpoint} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, region, credentials, stop };
}
