import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { startNetnsScript } from "../harness/netns-script";

export const mirrorPort = 8080;

/** Serves `dir` over HTTP from the internet namespace; the node reaches it like a real mirror. */
export async function startMirror(
  network: BlackoutNetwork,
  dir: string,
  bind: { host: string; port: number } = { host: network.internet.ip, port: mirrorPort },
): Promise<{ url: string; stop(): void }> {
  const script = join(__dirname, "mirror-server.ts");
  const { child } = await startNetnsScript(network.plan.ns.internet, script, [dir, String(bind.port), bind.host], "mirror", 30_000);
  return { url: `http://${bind.host}:${bind.port}`, stop: () => child.kill("SIGKILL") };
}
