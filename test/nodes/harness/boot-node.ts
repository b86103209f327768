import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { BlackoutNetwork } from "./blackout-network";
import { execInContainer } from "./container-exec";
import { ensureBaseImage } from "./image";
import { createNodeRoot, releaseNodeRoot, type NodeRoot } from "./node-root";
import { startNspawn, stopNspawn, type NspawnProcess } from "./nspawn-process";
import { createLimitGroups, type LimitGroups, type NodeLimits } from "./resource-limits";
import { tail, type CommandResult, type RunOptions } from "./run-command";
import { createUnifiedCgroup } from "./unified-cgroup";

export interface BootNodeOptions {
  /** The user-data exactly as a cloud would receive it (text, or gzip bytes). */
  userData: Buffer | string;
  network: BlackoutNetwork;
  /** Short name: becomes the hostname (meta-data local-hostname) and part of state paths. */
  name: string;
  /** A rootfs to boot instead of the cached base image. */
  image?: string;
  /** Boot as a small VM: cap memory and CPUs (benchmarks). */
  limits?: NodeLimits;
  /** The test internet's root certificate, trusted by the node like the web's roots. */
  trustedCaPem?: string;
}

export interface NodeHandle {
  name: string;
  instanceId: string;
  /** The node's address as the client reaches it. */
  ip: string;
  /** Waits until cloud-init finished; throws (with console tail and status) on error or timeout. */
  waitForCloudInit(timeoutMs?: number): Promise<string>;
  /** Waits until systemd reports running or degraded (boot finished). */
  waitForSystem(timeoutMs?: number): Promise<string>;
  /** Runs a command inside the node (its systemd, files and network). */
  exec(cmd: string, args?: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  /** Reboots from inside, boots the same root again and waits for systemd. */
  reboot(timeoutMs?: number): Promise<void>;
  /** Resolves with nspawn's exit code once the node's systemd ends (0 after a poweroff from inside). */
  exited(): Promise<number | null>;
  /** Powers off and removes the node's root. Safe to call twice. */
  stop(): Promise<void>;
  consoleLog(): Promise<string>;
  /** Memory the node uses now, when booted with `limits` (its cgroup's count). */
  memoryBytes(): Promise<number>;
  /** What the node's memory limit counts now, kernel memory included (booted with `limits`). */
  chargedMemoryBytes(): Promise<number>;
  /** Processes the OOM killer ended on the node (booted with `limits`). */
  oomKills(): Promise<number>;
}

/** Node namespaces that already host a node: one node per seat (`addNode` makes another seat). */
const occupiedSeats = new Set<string>();

/** The name becomes a hostname and part of paths and the nspawn machine name. */
const NODE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** nspawn's exit code when the container's systemd asked for a reboot. */
const REBOOT_EXIT_CODE = 133;

/**
 * Boots a Debian node in the network's node namespace from `userData`, the way a cloud would:
 * fresh instance, NoCloud seed, static networking. Returns once the container's PID 1 runs;
 * call `waitForCloudInit` before testing anything cloud-init sets up.
 */
export async function bootNode(opts: BootNodeOptions): Promise<NodeHandle> {
  if (!NODE_NAME.test(opts.name)) throw new Error(`node name "${opts.name}" must match ${NODE_NAME}`);
  if (occupiedSeats.has(opts.network.plan.ns.node)) throw new Error("this network already has a node: boot another into network.addNode()");
  const image = opts.image ?? (await ensureBaseImage());
  const plan = opts.network.plan;
  const root: NodeRoot = await createNodeRoot({
    image,
    plan,
    name: opts.name,
    userData: opts.userData,
    resolverIp: opts.network.resolverIp,
    ...(opts.trustedCaPem !== undefined ? { trustedCaPem: opts.trustedCaPem } : {}),
  });
  const consoleLogPath = join(root.stateDir, "console.log");
  const machineName = `lifeline-${plan.runId}-${opts.name}`;
  const limits: LimitGroups | undefined = opts.limits ? await createLimitGroups(machineName, opts.limits) : undefined;
  const unified = await createUnifiedCgroup(machineName);
  const nspawnOpts = {
    rootDir: root.rootDir,
    netnsName: plan.ns.node,
    machineName,
    consoleLogPath,
    cgroupProcsFiles: [unified.procsFile, ...(limits?.procsFiles ?? [])],
  };
  let proc: NspawnProcess;
  try {
    proc = await startNspawn(nspawnOpts);
  } catch (e) {
    await releaseNodeRoot(root);
    await limits?.remove();
    await unified.remove();
    throw e;
  }
  occupiedSeats.add(plan.ns.node);
  let stopped = false;

  const exec = (cmd: string, args: readonly string[] = [], o: RunOptions = {}) =>
    execInContainer(proc.leaderPid, cmd, args, o);
  const consoleLog = () => readFile(consoleLogPath, "utf8").catch(() => "");

  /** Everything useful for a failure message: what cloud-init says, its output, the console. */
  const diagnostics = async (): Promise<string> => {
    const inNode = (cmd: string, args: string[]) =>
      exec(cmd, args, { timeoutMs: 15_000 }).then(
        (r) => r.stdout + r.stderr,
        (e: Error) => e.message,
      );
    // The console is full of colour codes from systemd's status lines; they only obscure it.
    const consoleText = (await consoleLog()).replace(/\x1b\[[0-9;]*m/g, "");
    return (
      `--- cloud-init status --long ---\n${await inNode("cloud-init", ["status", "--long"])}\n` +
      `--- /var/log/cloud-init-output.log (tail) ---\n${await inNode("tail", ["-n", "40", "/var/log/cloud-init-output.log"])}\n` +
      `--- console log (tail) ---\n${tail(consoleText, 60)}`
    );
  };

  const waitForCloudInit = async (timeoutMs = 300_000): Promise<string> => {
    const r = await exec("cloud-init", ["status", "--wait", "--long"], { timeoutMs });
    if (r.code === 0 && /status: done/.test(r.stdout)) return r.stdout;
    const why = r.code === null ? `did not finish within ${timeoutMs} ms` : `finished with exit code ${r.code}`;
    throw new Error(`cloud-init on node ${opts.name} ${why}\n${r.stderr}\n${await diagnostics()}`);
  };

  const waitForSystem = async (timeoutMs = 180_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    // Right after start, PID 1 may not accept connections yet (an empty answer, or "offline"
    // while systemctl cannot reach it): ask again until the deadline.
    while (Date.now() < deadline) {
      const r = await exec("systemctl", ["is-system-running", "--wait"], { timeoutMs: Math.max(1000, deadline - Date.now()) });
      last = r.stdout.trim();
      if (last === "running" || last === "degraded") return last;
      if (!["", "offline", "initializing", "starting"].includes(last)) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    throw new Error(`node ${opts.name}: systemd state "${last}" (wanted running or degraded)\n${await diagnostics()}`);
  };

  const reboot = async (timeoutMs = 180_000): Promise<void> => {
    // The reboot tears down the namespace our command runs in: its result does not matter.
    await exec("systemctl", ["reboot"], { timeoutMs: 15_000 }).catch(() => undefined);
    const code = await Promise.race([
      proc.exited,
      new Promise<"timeout">((r) => setTimeout(() => r("timeout"), timeoutMs)),
    ]);
    if (code !== REBOOT_EXIT_CODE) {
      throw new Error(`node ${opts.name}: expected nspawn to exit ${REBOOT_EXIT_CODE} on reboot, got ${code}\n${await diagnostics()}`);
    }
    await unified.clearChildren();
    proc = await startNspawn(nspawnOpts);
    await waitForSystem(timeoutMs);
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopNspawn(proc);
    // nspawn keeps a per-machine propagation directory on the host; it is ours to remove.
    await rm(`/run/systemd/nspawn/propagate/${nspawnOpts.machineName}`, { recursive: true, force: true });
    await releaseNodeRoot(root);
    await limits?.remove();
    await unified.remove();
    occupiedSeats.delete(plan.ns.node);
  };

  return {
    memoryBytes: () => (limits ? limits.memoryBytes() : Promise.reject(new Error("boot the node with limits to measure its memory"))),
    chargedMemoryBytes: () => (limits ? limits.chargedBytes() : Promise.reject(new Error("boot the node with limits to measure its memory"))),
    oomKills: () => (limits ? limits.oomKills() : Promise.reject(new Error("boot the node with limits to count OOM kills"))),
    name: opts.name,
    instanceId: root.instanceId,
    ip: plan.node.ip,
    waitForCloudInit,
    waitForSystem,
    exec,
    reboot,
    exited: () => proc.exited,
    stop,
    consoleLog,
  };
}
