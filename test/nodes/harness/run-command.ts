import { spawn } from "node:child_process";

/** What a finished command left behind. `code` is null when a signal (e.g. our timeout) ended it. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  /** Kill the command after this many ms (SIGKILL); the result then has code null. */
  timeoutMs?: number;
  /** Bytes fed to stdin; stdin is closed right after so commands never wait for input. */
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs a command without a shell (arguments are never re-parsed) and collects its output.
 * Never throws for a non-zero exit: callers decide what failure means.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    // A command that exits before reading its stdin makes the write fail with EPIPE: harmless.
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.input ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code,
      });
    });
  });
}

/** Like `run`, but a non-zero exit (or timeout) throws an error that carries the command and its output. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const what = r.code === null ? "timed out or was killed" : `exited with ${r.code}`;
    throw new Error(
      `${cmd} ${args.join(" ")} ${what}\n--- stdout (tail) ---\n${tail(r.stdout, 40)}\n--- stderr (tail) ---\n${tail(r.stderr, 40)}`,
    );
  }
  return r;
}

/** Last `lines` lines of a text: error messages should show what happened last, not everything. */
export function tail(text: string, lines: number): string {
  return text.split("\n").slice(-lines).join("\n");
}
