import { mkdir, readdir, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { run, runOk } from "./run-command";

/**
 * This host mounts cgroup v1 controllers and no cgroup v2 hierarchy. A Debian 12 VM boots with
 * the unified (v2) hierarchy, and only there does systemd attach per-unit BPF programs
 * (`IPAddressDeny=`, a relay unit's second wall). So each node gets its own v2 subtree, and
 * nspawn is told to give the container a unified hierarchy rooted there.
 */
const unifiedRoot = "/sys/fs/cgroup/unified";
const nodesRoot = join(unifiedRoot, "lifeline-test");

async function isCgroup2(path: string): Promise<boolean> {
  const r = await run("stat", ["-f", "-c", "%T", path]);
  return r.code === 0 && r.stdout.trim() === "cgroup2fs";
}

/** Mounts the cgroup v2 hierarchy beside the v1 controllers once (the "hybrid" layout). */
async function ensureUnifiedHierarchy(): Promise<void> {
  if (await isCgroup2(unifiedRoot)) return;
  await mkdir(unifiedRoot, { recursive: true });
  await runOk("mount", ["-t", "cgroup2", "none", unifiedRoot]);
}

/** Removes a cgroup directory and every child group below it (they must hold no process). */
async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}

export interface UnifiedCgroup {
  /** The cgroup.procs file a process writes its pid to, to join the node's subtree. */
  procsFile: string;
  /** Removes the groups the node's systemd left below its root (before a reboot's fresh start). */
  clearChildren(): Promise<void>;
  remove(): Promise<void>;
}

export async function createUnifiedCgroup(machineName: string): Promise<UnifiedCgroup> {
  await ensureUnifiedHierarchy();
  const dir = join(nodesRoot, machineName);
  await mkdir(dir, { recursive: true });
  return {
    procsFile: join(dir, "cgroup.procs"),
    clearChildren: async () => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
    },
    remove: () => removeTree(dir),
  };
}

/** Node subtrees whose machine name embeds a run id (for stale-state cleanup). */
export async function unifiedCgroupMachines(): Promise<string[]> {
  if (!(await stat(nodesRoot).then(() => true, () => false))) return [];
  return (await readdir(nodesRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
}

export async function removeUnifiedCgroup(machineName: string): Promise<void> {
  await removeTree(join(nodesRoot, machineName));
}
