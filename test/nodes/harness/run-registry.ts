import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Records which process owns which run id, so stale-state cleanup removes only leftovers of
 * runs whose owner died, never the state of a test running in parallel in another process.
 */
const REGISTRY_DIR = "/run/lifeline-test/runs";

export async function registerRun(runId: string): Promise<void> {
  await mkdir(REGISTRY_DIR, { recursive: true });
  await writeFile(join(REGISTRY_DIR, runId), String(process.pid));
}

export async function unregisterRun(runId: string): Promise<void> {
  await rm(join(REGISTRY_DIR, runId), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Run ids whose owning process still exists. */
export async function liveRunIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  const entries = await readdir(REGISTRY_DIR).catch(() => [] as string[]);
  for (const id of entries) {
    const pid = Number((await readFile(join(REGISTRY_DIR, id), "utf8").catch(() => "")).trim());
    if (pid > 0 && alive(pid)) ids.add(id);
    else await rm(join(REGISTRY_DIR, id), { force: true });
  }
  return ids;
}
