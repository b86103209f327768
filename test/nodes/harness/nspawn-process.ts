import { spawn, type ChildProcess } from "node:child_process";
import { open, readdir, readFile } from "node:fs/promises";

/** One run of systemd-nspawn booting a node: from start to the container's power-off or reboot. */
export interface NspawnProcess {
  child: ChildProcess;
  /** The container's PID 1 as seen from the host: the target for nsenter. */
  leaderPid: number;
  /** Resolves with nspawn's exit code (133 = the container asked for a reboot). */
  exited: Promise<number | null>;
}

export interface NspawnOptions {
  rootDir: string;
  netnsName: string;
  machineName: string;
  consoleLogPath: string;
  /** cgroup.procs files nspawn joins first, so the whole node runs inside those groups. */
  cgroupProcsFiles: readonly string[];
}

/**
 * The host runs no systemd, hence --register=no/--keep-unit. The container joins the node
 * namespace the harness built.
 * The resolver and time zone are left alone (the node root has its own), and the journal stays
 * inside the container. --console=read-only copies the console to our log file.
 */
function nspawnArgs(o: NspawnOptions): string[] {
  return [
    "-q",
    "-D",
    o.rootDir,
    "--register=no",
    "--keep-unit",
    "-b",
    `--network-namespace-path=/run/netns/${o.netnsName}`,
    `--machine=${o.machineName}`,
    "--resolv-conf=off",
    "--timezone=off",
    "--link-journal=no",
    "--console=read-only",
    // nspawn keeps CAP_NET_ADMIN only for networks it creates itself; this namespace is the
    // node's own, so networkd and nftables inside need it back.
    "--capability=CAP_NET_ADMIN",
    // systemd attaches a unit's IPAddressDeny= as a BPF program; nspawn's seccomp filter
    // would refuse the bpf() call, and the relays' second wall would silently be missing.
    "--system-call-filter=bpf",
  ];
}

/** Finds the child of nspawn that is PID 1 in its own pid namespace. */
async function findLeader(nspawnPid: number): Promise<number | null> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, "utf8").catch(() => "");
    const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
    const nspid = /^NSpid:\s+([\d\s]+)$/m.exec(status)?.[1]?.trim().split(/\s+/);
    if (Number(ppid) === nspawnPid && nspid !== undefined && nspid.length >= 2 && nspid[nspid.length - 1] === "1") {
      return Number(entry);
    }
  }
  return null;
}

export async function startNspawn(o: NspawnOptions): Promise<NspawnProcess> {
  // Append: a reboot starts a new nspawn, and the console log should tell the whole story.
  const log = await open(o.consoleLogPath, "a");
  // A shell joins the cgroups, then becomes nspawn: everything the node starts stays inside.
  const join = 'for procs in "$@"; do [ "$procs" = -- ] && break; echo $$ > "$procs"; shift; done; shift; exec "$@"';
  const child = spawn("sh", ["-c", join, "sh", ...o.cgroupProcsFiles, "--", "systemd-nspawn", ...nspawnArgs(o)], {
    stdio: ["ignore", log.fd, log.fd],
    env: {
      ...process.env,
      // Makes /proc/sys/net writable in the container, as nspawn does for networks it creates:
      // relay configs tune net.* sysctls, and that must work like on a VM.
      SYSTEMD_NSPAWN_API_VFS_WRITABLE: "network",
      // The container gets the unified cgroup hierarchy, like a Debian 12 VM (see unified-cgroup.ts).
      SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: "1",
    },
  });
  await log.close();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      exitCode = code;
      resolve(code);
    });
    child.on("error", () => resolve(null));
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`systemd-nspawn exited with ${exitCode} before the container started`);
    const leader = child.pid === undefined ? null : await findLeader(child.pid);
    if (leader !== null) return { child, leaderPid: leader, exited };
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("systemd-nspawn did not start a container within 30 s");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Powers the container off: nspawn turns SIGTERM into an orderly shutdown of the container;
 * if that hangs, killing the container's PID 1 ends its whole pid namespace.
 */
export async function stopNspawn(p: NspawnProcess, graceMs = 30_000): Promise<void> {
  const waitExit = (ms: number) =>
    Promise.race([p.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  if (await waitExit(graceMs)) return;
  try {
    process.kill(p.leaderPid, "SIGKILL");
  } catch {
    // already gone
  }
  if (await waitExit(10_000)) return;
  p.child.kill("SIGKILL");
  await waitExit(5_000);
}
