import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";

/** Holds `count` connections from the client to host:port; resolves with how many got through. */
export async function holdConnections(
  network: BlackoutNetwork,
  host: string,
  port: number,
  count: number,
): Promise<{ connected: number; failed: number; release(): void }> {
  const tsxCli = createRequire(__filename).resolve("tsx/cli");
  const child = spawn(
    "ip",
    ["netns", "exec", network.plan.ns.client, process.execPath, tsxCli, join(__dirname, "hold-connections.ts"), host, String(port), String(count)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`hold-connections gave no result: ${out}`)), 60_000);
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.split("\n")[0]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`hold-connections exited with ${code}: ${out}`)));
  });
  const result = JSON.parse(line) as { connected: number; failed: number };
  return { ...result, release: () => child.kill("SIGKILL") };
}
