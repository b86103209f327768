import { run, type CommandResult, type RunOptions } from "./run-command";

/**
 * Runs a command inside a booted container: all of its namespaces (mount, pid, net, uts, ipc,
 * cgroup) plus its root directory, so systemctl, journalctl and cloud-init see the node's own
 * systemd and files. The environment is reset so no host PATH or locale leaks in.
 */
export function execInContainer(
  leaderPid: number,
  cmd: string,
  args: readonly string[] = [],
  opts: RunOptions = {},
): Promise<CommandResult> {
  return run(
    "nsenter",
    [
      "-t",
      String(leaderPid),
      "-m",
      "-u",
      "-i",
      "-n",
      "-p",
      "-C",
      "-r",
      "-w",
      "--",
      "/usr/bin/env",
      "-i",
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "LANG=C.UTF-8",
      "SYSTEMD_PAGER=",
      "SYSTEMD_COLORS=0",
      cmd,
      ...args,
    ],
    { timeoutMs: 60_000, ...opts },
  );
}
