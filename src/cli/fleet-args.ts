import { CliError } from "./cli-error";

/** `--stacks a,b,c` as names; a blank list is an input error. */
export function stackList(value: string): string[] {
  const stacks = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (stacks.length === 0) throw new CliError("--stacks needs stack names separated by commas, e.g. --stacks aigerim,bolat");
  return stacks;
}

/** Exactly one of `--outputs` and `--stacks`, said the way each command reads them. */
export function oneFleetSource(options: { outputs?: string[]; stacks?: string }, stacksMean: string): { outputs: string[] } | { stacks: string[] } {
  if ((options.outputs === undefined) === (options.stacks === undefined)) {
    throw new CliError(`give either --outputs FILE... (each the output of \`pulumi stack output --json --show-secrets\`) or --stacks a,b,c (${stacksMean})`);
  }
  return options.outputs !== undefined ? { outputs: options.outputs } : { stacks: stackList(options.stacks ?? "") };
}

/** A number flag within bounds, or an input error naming the flag. */
export function numberArg(flag: string, value: string, min: number, max: number, whole: boolean): number {
  const n = Number(value);
  const shape = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!shape.test(value) || n < min || n > max) {
    throw new CliError(`${flag} must be a ${whole ? "whole " : ""}number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}
