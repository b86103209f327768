import { terminalField } from "../sinks/terminal-text";
import { destroyRefreshNote, expiredStacks, unassignedReservedIpNote } from "../expiry/expired-stacks";
import { readStackFacts } from "./cost-command";

export interface ExpiredCommandOptions {
  outputs?: string[];
  stacks?: string;
  stacksDir: string;
  /** Now, ISO 8601: passed in so the command is testable. */
  now: string;
}

/** `lifeline expired`: stacks past their expiry, their nodes, what still bills, and the command that ends it. */
export function runExpired(options: ExpiredCommandOptions, print: (text: string) => void): void {
  const stacks = readStackFacts({ ...options, today: options.now.slice(0, 10) });
  const { expired, unknownExpiry } = expiredStacks(stacks, options.now);
  for (const source of unknownExpiry) print(`warning: ${source} carries no expiry (outputs of an older lifeline); give --stacks to read its stack file`);
  if (expired.length === 0) {
    print(`none of ${stacks.length} stack${stacks.length === 1 ? "" : "s"} is past its expiry`);
    return;
  }
  print(`${expired.length} of ${stacks.length} stack${stacks.length === 1 ? "" : "s"} past expiry:`);
  for (const stack of expired) {
    print("");
    // Names from the files each stay on their own line: no line break of theirs can forge the next one.
    const name = terminalField(stack.stack ?? stack.source);
    print(`${name}${stack.volunteer ? ` (${terminalField(stack.volunteer)})` : ""}: expired ${stack.expiredAt} (end of ${stack.expires}, UTC)`);
    print(`  nodes: ${stack.nodes.map(terminalField).join(", ") || "none"}`);
    for (const line of stack.stillBilling) print(`  still billing: ${line}`);
    print(`  end the bill: ${terminalField(stack.destroy)}`);
  }
  print("");
  print(destroyRefreshNote);
  print(unassignedReservedIpNote);
}
