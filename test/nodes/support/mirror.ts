import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";

export const mirrorPort = 8080;

/** Serves `dir` over HTTP from the internet namespace; the node reaches it like a real mirror. */
export async function startMirror(network: BlackoutNetwork, dir: string): Promise<{ url: string; stop(): void }> {
  const tsxCli = createRequire(__filename).resolve("tsx/cli");
  const child: ChildProcess = spawn(
    "ip",
    ["netns", "exec", network.plan.ns.internet, process.execPath, tsxCli, join(__dirname, "mirror-server.ts"), dir, String(mirrorPort)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`mirror did not start:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes("READY")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`mirror exited with ${code}:\n${output}`)));
  });
  return { url: `http://${network.internet.ip}:${mirrorPort}`, stop: () => child.kill("SIGKILL") };
}
