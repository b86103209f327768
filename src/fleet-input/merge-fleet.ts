import { FleetInputError } from "./errors";
import type { ParsedStackOutputs } from "./parse-stack-outputs";
import type { Fleet, FleetNode } from "./types";

/**
 * One fleet from every stack's outputs. Fails with every problem of every input at once.
 * The address is a node's identity: the same address twice means a stack was given twice.
 */
export function mergeFleet(stacks: readonly ParsedStackOutputs[]): Fleet {
  const problems = stacks.flatMap((s) => s.problems);
  const warnings = stacks.flatMap((s) => s.warnings);
  const seen = new Map<string, FleetNode>();
  const nodes: FleetNode[] = [];
  for (const stack of stacks) {
    for (const node of stack.outputs?.nodes ?? []) {
      const first = seen.get(node.address);
      if (first) {
        problems.push(
          `${node.source}: node ${node.name} has the address of ${first.name} in ${first.source}: is one stack given twice?`,
        );
        continue;
      }
      seen.set(node.address, node);
      nodes.push(node);
    }
  }
  if (problems.length > 0) throw new FleetInputError(problems);
  return {
    sources: stacks.map((s) => s.outputs?.source ?? ""),
    stacks: stacks.flatMap((s) => (s.outputs ? [s.outputs.facts] : [])),
    nodes,
    shadowsocksServers: stacks.flatMap((s) => s.outputs?.shadowsocksServers ?? []),
    warnings,
  };
}
