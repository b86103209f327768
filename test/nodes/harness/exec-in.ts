import { run, type CommandResult, type RunOptions } from "./run-command";

/**
 * Runs a command inside a network namespace (by its /run/netns name). Only the network is
 * switched; the file system is the host's, so host tools (curl, nmap, node) are available.
 * Default timeout 60 s: a probe of a filtered port must never hang a test.
 */
export function execIn(ns: string, cmd: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<CommandResult> {
  return run("ip", ["netns", "exec", ns, cmd, ...args], { timeoutMs: 60_000, ...opts });
}
