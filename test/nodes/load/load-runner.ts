import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { startNetnsScript } from "../harness/netns-script";

/** Runs load-client.ts in a network namespace; resolves with its JSON result line. */
export async function startLoad(netns: string, job: object): Promise<{ result: Record<string, any>; child: ChildProcess }> {
  const { child, firstLine } = await startNetnsScript(netns, join(__dirname, "load-client.ts"), [JSON.stringify(job)], "load client", 300_000);
  return { result: JSON.parse(firstLine) as Record<string, any>, child };
}

/** Ends a held load (closes its tunnels) and waits for it to exit. */
export async function endLoad(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.stdin?.end();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  child.kill("SIGKILL");
}
