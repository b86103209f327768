import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot } from "./fixtures";

/** A date `days` from now, YYYY-MM-DD: the CLI plans against the real today. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Writes `<dir>/Pulumi.<name>.yaml` as a volunteer would, an encrypted token beside the fleet. */
export function writeStack(dir: string, name: string, fleet: unknown): void {
  writeFileSync(join(dir, `Pulumi.${name}.yaml`), stringify({ config: { "digitalocean:token": { secure: "v1:abc" }, "lifeline:fleet": fleet } }));
}

/** Runs a `lifeline` command in a child process, as `npm run <command>` does. */
export function runCli(command: string, ...args: string[]) {
  const result = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), command, ...args], {
    encoding: "utf8",
    cwd: repoRoot,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `lifeline plan` in a child process, as `npm run plan` does. */
export function runPlanCli(...args: string[]) {
  return runCli("plan", ...args);
}
