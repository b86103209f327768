import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { CliError } from "./cli-error";

const stackName = /^[A-Za-z0-9_.-]+$/;

/** The folder holding Pulumi.yaml, searched upward from `from`, or `from` itself. */
export function projectRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

function availableStacks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export interface StackFile {
  /** Path for messages, relative to the working directory. */
  source: string;
  /** The raw `lifeline:fleet` value (undefined when absent). */
  fleet: unknown;
  /** The raw `lifeline:share` value: set only in a share stack (undefined when absent). */
  share: unknown;
}

/** Reads `<dir>/Pulumi.<stack>.yaml` and returns its `lifeline:fleet` config. */
export function readStackFile(stacksDir: string, stack: string): StackFile {
  if (!stackName.test(stack)) {
    throw new CliError(`--stack "${stack}" is not a stack name: use letters, digits, ".", "-" and "_" (e.g. --stack aigerim)`);
  }
  const path = join(stacksDir, `Pulumi.${stack}.yaml`);
  const source = relative(process.cwd(), path) || path;
  if (!existsSync(path)) {
    const known = availableStacks(stacksDir);
    const hint = known.length > 0 ? `stacks here: ${known.join(", ")}` : `no stack files in ${stacksDir}`;
    throw new CliError(`${source} does not exist (${hint}). Copy an example: cp stacks/Pulumi.example-do.yaml stacks/Pulumi.${stack}.yaml`);
  }
  const document = parseDocument(readFileSync(path, "utf8"), { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors.map((e) => e.message).join("\n");
    throw new CliError(`${source} is not valid YAML:\n${first}`);
  }
  const root = document.toJS() as unknown;
  const config = typeof root === "object" && root !== null ? (root as Record<string, unknown>)["config"] : undefined;
  const section = (key: string) => (typeof config === "object" && config !== null ? (config as Record<string, unknown>)[key] : undefined);
  return { source, fleet: section("lifeline:fleet"), share: section("lifeline:share") };
}
