import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { CliError } from "./cli-error";
import { ownerOnly } from "./share-key-file";

/** Weeks kept: enough to see this week's count; older weeks say nothing useful. */
const weeksKept = 8;

interface RequestLog {
  version: 1;
  /** Per week (its Monday): keyed hashes of the handles answered, never the handles. */
  handles: Record<string, string[]>;
}

/**
 * The handle-only answers given each week, beside the share key (`share.key.requests`, owner
 * only). Handles are stored as HMACs with the share key: a seized laptop does not list who asked.
 */
export function loadRequestLog(path: string, key: Buffer) {
  let log: RequestLog = { version: 1, handles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as RequestLog;
    if (parsed?.version !== 1 || typeof parsed.handles !== "object" || parsed.handles === null) throw new Error("shape");
    log = parsed;
    ownerOnly(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new CliError(`${path}: is not a request log written by share; move it away to start a new one`, 1);
  }
  const tag = (handle: string) => createHmac("sha256", key).update(`handle\u0000${handle}`).digest("hex").slice(0, 32);
  return {
    /** Handles answered in the week so far. */
    count: (period: string) => (log.handles[period] ?? []).length,
    has: (period: string, handle: string) => (log.handles[period] ?? []).includes(tag(handle)),
    /** Records the handles and writes the log (0600) once. */
    record: (period: string, handles: Iterable<string>) => {
      const week = log.handles[period] ?? [];
      const seen = new Set(week);
      for (const handle of handles) {
        const tagged = tag(handle);
        if (!seen.has(tagged)) week.push(tagged);
        seen.add(tagged);
      }
      log.handles[period] = week;
      const periods = Object.keys(log.handles).sort().slice(-weeksKept);
      const kept: RequestLog = { version: 1, handles: Object.fromEntries(periods.map((p) => [p, log.handles[p]!])) };
      writeFileSync(path, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
      ownerOnly(path);
    },
  };
}
