import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mergeFleet } from "./merge-fleet";
import { parseStackOutputs, type ParsedStackOutputs } from "./parse-stack-outputs";
import type { Fleet } from "./types";

const stackName = /^[A-Za-z0-9_.-]+$/;

function failed(source: string, problem: string): ParsedStackOutputs {
  return { outputs: undefined, problems: [`${source}: ${problem}`], warnings: [] };
}

function readOne(path: string): ParsedStackOutputs {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(path, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code})`);
  }
  return parseStackOutputs(path, text);
}

/** The fleet from outputs files, each what `pulumi stack output --json --show-secrets` printed. */
export function fleetFromOutputFiles(paths: readonly string[]): Fleet {
  return mergeFleet(paths.map(readOne));
}

/** Runs a command and returns its stdout; what `--stacks` uses to call the Pulumi CLI. */
export type RunPulumi = (args: string[]) => { status: number | null; stdout: string; stderr: string; error?: Error };

export function runPulumiCli(command: string): RunPulumi {
  return (args) => {
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", ...(result.error ? { error: result.error } : {}) };
  };
}

function stackOutputs(stack: string, run: RunPulumi): ParsedStackOutputs {
  const source = `stack ${stack}`;
  if (!stackName.test(stack)) return failed(source, 'is not a stack name: use letters, digits, ".", "-" and "_"');
  const result = run(["stack", "output", "--json", "--show-secrets", "--stack", stack]);
  if (result.error) return failed(source, `could not run the Pulumi CLI (${result.error.message})`);
  if (result.status !== 0) {
    const last = result.stderr.trim().split("\n").at(-1) ?? "";
    return failed(source, `\`pulumi stack output\` failed (exit ${result.status}): ${last}`);
  }
  return parseStackOutputs(source, result.stdout);
}

/** The fleet from stacks on the current Pulumi backend, one `pulumi stack output` per stack. */
export function fleetFromStacks(stacks: readonly string[], run: RunPulumi): Fleet {
  return mergeFleet(stacks.map((s) => stackOutputs(s, run)));
}
