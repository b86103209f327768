import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootNode, cleanupStaleState, createBlackoutNetwork, type BlackoutNetwork, type CommandResult, type NodeHandle } from "../harness";
import { renderTestProbe, type RenderedProbe } from "./probe-stack";
import { startInterceptor } from "./scan-censor";

export interface ProbeSession {
  network: BlackoutNetwork;
  node: NodeHandle;
  probe: RenderedProbe;
  /** The files `npm run build` makes, built for this session. */
  scanner: { cli: string; html: string };
  work: string;
  /** Runs the one-file scanner in the client namespace, the token in its environment (never in argv). */
  scan(args: readonly string[]): Promise<CommandResult>;
  close(): Promise<void>;
}

/**
 * A probe booted from its real user data in a simulated blackout, the censor's interceptor
 * running, and the scanner built as `npm run build` builds it. The censor admits nothing until
 * `applyCensor` (scan-censor.ts) sets a run's ports.
 */
export async function openProbeSession(): Promise<ProbeSession> {
  await cleanupStaleState();
  const work = mkdtempSync(join(tmpdir(), "lifeline-scan-node-"));
  const { buildScanner } = await import("../../../scripts/build-scan.cjs");
  const scanner = await buildScanner(work);
  const network = await createBlackoutNetwork({ openPorts: [] });
  let node: NodeHandle | undefined;
  let interceptor: ChildProcess | undefined;
  const close = async () => {
    interceptor?.kill("SIGKILL");
    await node?.stop();
    await network.destroy();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const probe = renderTestProbe(network.nodeIp);
    node = await bootNode({ userData: probe.userData, network, name: "probe" });
    await node.waitForCloudInit();
    interceptor = await startInterceptor(network);
    const scan = (args: readonly string[]) =>
      network.execIn("client", process.execPath, [scanner.cli, ...args], { env: { ...process.env, LIFELINE_PROBE_TOKEN: probe.token }, timeoutMs: 900_000 });
    return { network, node, probe, scanner, work, scan, close };
  } catch (error) {
    await close();
    throw error;
  }
}
