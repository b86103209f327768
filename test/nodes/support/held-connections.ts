import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { startNetnsScript } from "../harness/netns-script";

/** Holds `count` connections from the client to host:port; resolves with how many got through. */
export async function holdConnections(
  network: BlackoutNetwork,
  host: string,
  port: number,
  count: number,
): Promise<{ connected: number; failed: number; release(): void }> {
  const script = join(__dirname, "hold-connections.ts");
  const { child, firstLine } = await startNetnsScript(network.plan.ns.client, script, [host, String(port), String(count)], "hold-connections");
  const result = JSON.parse(firstLine) as { connected: number; failed: number };
  return { ...result, release: () => child.kill("SIGKILL") };
}
