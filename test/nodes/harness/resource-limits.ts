import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The size of a small cloud VM, to boot a node as: memory and CPUs. */
export interface NodeLimits {
  memoryMiB: number;
  cpus: number;
}

// This host mounts cgroup v1 controllers (memory, cpu) under /sys/fs/cgroup.
const memoryRoot = "/sys/fs/cgroup/memory";
const cpuRoot = "/sys/fs/cgroup/cpu";
const periodUs = 100_000;

export interface LimitGroups {
  /** cgroup.procs files a process joins so that it, and everything it starts, runs capped. */
  procsFiles: string[];
  /** Anonymous memory (RSS) of the whole node now, as its cgroup counts it: no page cache. */
  memoryBytes(): Promise<number>;
  /**
   * Everything the cgroup is charged for, which its limit bounds: anonymous memory plus the
   * kernel's own (thread stacks, sockets, page tables), without the page cache.
   */
  chargedBytes(): Promise<number>;
  /** Processes the kernel's OOM killer ended in this cgroup since it was made. */
  oomKills(): Promise<number>;
  remove(): Promise<void>;
}

/** Creates memory and CPU cgroups for one node and caps them. */
export async function createLimitGroups(name: string, limits: NodeLimits): Promise<LimitGroups> {
  const memory = join(memoryRoot, name);
  const cpu = join(cpuRoot, name);
  await mkdir(memory, { recursive: true });
  await mkdir(cpu, { recursive: true });
  await writeFile(join(memory, "memory.limit_in_bytes"), String(limits.memoryMiB * 1024 * 1024));
  await writeFile(join(cpu, "cpu.cfs_period_us"), String(periodUs));
  await writeFile(join(cpu, "cpu.cfs_quota_us"), String(Math.round(limits.cpus * periodUs)));
  return {
    procsFiles: [join(memory, "cgroup.procs"), join(cpu, "cgroup.procs")],
    memoryBytes: async () => {
      const stat = await readFile(join(memory, "memory.stat"), "utf8");
      return Number(/^total_rss (\d+)$/m.exec(stat)?.[1] ?? NaN);
    },
    chargedBytes: async () => {
      const usage = Number(await readFile(join(memory, "memory.usage_in_bytes"), "utf8"));
      const stat = await readFile(join(memory, "memory.stat"), "utf8");
      return usage - Number(/^total_cache (\d+)$/m.exec(stat)?.[1] ?? 0);
    },
    oomKills: async () => Number(/^oom_kill (\d+)$/m.exec(await readFile(join(memory, "memory.oom_control"), "utf8"))?.[1] ?? NaN),
    remove: async () => {
      for (const dir of [memory, cpu]) await rmdir(dir).catch(() => undefined);
    },
  };
}
