import { open, readFile, unlink } from "node:fs/promises";

/** True when a process with this pid exists (signal 0 only checks, it delivers nothing). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding our pid).
 * A lock left behind by a dead process is taken over, so a crashed build never blocks forever.
 */
export async function withFileLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      // An empty file means the holder is between open and write: treat as alive for now.
      if (holder > 0 && !processExists(holder)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
