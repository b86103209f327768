import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { lifelineNftTables, restoreHostForwardingIfUnused } from "./host-forwarding";
import { LINK_PREFIX, NETNS_PREFIX, NFT_TABLE_PREFIX, nodeStateDir } from "./paths";
import { liveRunIds } from "./run-registry";
import { run } from "./run-command";
import { removeUnifiedCgroup, unifiedCgroupMachines } from "./unified-cgroup";

/** Run ids are 6 hex chars; every harness-made name embeds one right after its prefix. */
const RUN_ID = /^[0-9a-f]{6}/;

function runIdAfter(prefix: string, name: string): string | null {
  if (!name.startsWith(prefix)) return null;
  return RUN_ID.exec(name.slice(prefix.length))?.[0] ?? null;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** nspawn processes booted into one of our namespaces, with the run id they belong to. */
async function nspawnProcesses(): Promise<Array<{ pid: number; runId: string }>> {
  const found: Array<{ pid: number; runId: string }> = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (!(args[0] ?? "").endsWith("systemd-nspawn")) continue;
    const nsArg = args.find((a) => a.startsWith("--network-namespace-path=/run/netns/"));
    const id = nsArg === undefined ? null : runIdAfter(NETNS_PREFIX, nsArg.slice(nsArg.lastIndexOf("/") + 1));
    if (id !== null) found.push({ pid: Number(entry), runId: id });
  }
  return found;
}

/**
 * Removes what crashed or killed test runs left behind: nodes, namespaces, links, nft tables,
 * overlay mounts and node state. Only runs whose owning process is gone are touched, so this
 * is safe to call at the start of every test file. Returns a line per removed thing.
 */
export async function cleanupStaleState(): Promise<string[]> {
  const live = await liveRunIds();
  const stale = (id: string | null): id is string => id !== null && !live.has(id);
  const removed: string[] = [];

  for (const { pid, runId } of await nspawnProcesses()) {
    if (!stale(runId)) continue;
    killQuietly(pid);
    removed.push(`nspawn pid ${pid} (run ${runId})`);
  }

  const netnsList = (await run("ip", ["netns", "list"])).stdout.split("\n").map((l) => l.split(" ")[0] ?? "");
  for (const ns of netnsList) {
    if (!stale(runIdAfter(NETNS_PREFIX, ns))) continue;
    // Killing everything inside also ends a container whose nspawn died first.
    for (const pid of (await run("ip", ["netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
    await run("ip", ["netns", "del", ns]);
    removed.push(`netns ${ns}`);
  }

  const links = (await run("ip", ["-o", "link", "show"])).stdout.split("\n");
  for (const line of links) {
    const name = (line.split(":")[1] ?? "").trim().split("@")[0] ?? "";
    if (!stale(runIdAfter(LINK_PREFIX, name))) continue;
    await run("ip", ["link", "del", name]);
    removed.push(`link ${name}`);
  }

  for (const table of await lifelineNftTables()) {
    const name = table.split(" ")[1] ?? "";
    if (!stale(runIdAfter(NFT_TABLE_PREFIX, name))) continue;
    await run("nft", ["delete", "table", ...table.split(" ")]);
    removed.push(`nft table ${table}`);
  }

  const stateDir = nodeStateDir();
  const mounts = (await readFile("/proc/mounts", "utf8")).split("\n").map((l) => l.split(" ")[1] ?? "");
  for (const mountPoint of mounts.filter((m) => m.startsWith(`${stateDir}/`)).reverse()) {
    if (!stale(runIdAfter(`${stateDir}/`, mountPoint))) continue;
    if ((await run("umount", [mountPoint])).code !== 0) await run("umount", ["-l", mountPoint]);
    removed.push(`mount ${mountPoint}`);
  }
  for (const dir of await readdir(stateDir).catch(() => [] as string[])) {
    if (!stale(runIdAfter("", dir))) continue;
    await rm(join(stateDir, dir), { recursive: true, force: true });
    removed.push(`node state ${dir}`);
  }

  const propagate = "/run/systemd/nspawn/propagate";
  for (const dir of await readdir(propagate).catch(() => [] as string[])) {
    if (!stale(runIdAfter("lifeline-", dir))) continue;
    await rm(join(propagate, dir), { recursive: true, force: true });
  }

  for (const machine of await unifiedCgroupMachines()) {
    if (!stale(runIdAfter("lifeline-", machine))) continue;
    await removeUnifiedCgroup(machine);
    removed.push(`cgroup ${machine}`);
  }

  await restoreHostForwardingIfUnused();
  return removed;
}
