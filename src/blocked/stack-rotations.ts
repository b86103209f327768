import { isMap, parseDocument } from "yaml";
import { StackFileError } from "../scan/stack-open-ports";

const fleetPath = ["config", "lifeline:fleet"] as const;

/**
 * Raises `lifeline:fleet.rotations.<node>` by one in a stack file's text (from 0 when absent),
 * keeping every comment and the rest of the layout. Returns the new text and generation.
 */
export function withRotation(text: string, source: string, node: string): { text: string; generation: number } {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new StackFileError(`${source} is not valid YAML: ${document.errors[0]!.message}`);
  const fleet = document.getIn(fleetPath, true);
  if (!isMap(fleet)) throw new StackFileError(`${source} has no config: lifeline:fleet: block; is it a lifeline stack file? (see stacks/Pulumi.example-do.yaml)`);
  const rotations = fleet.get("rotations", true);
  if (rotations !== undefined && !isMap(rotations)) throw new StackFileError(`${source}: lifeline:fleet.rotations is not a map of node name to generation; fix it by hand first`);
  const current = rotations?.get(node) ?? 0;
  if (typeof current !== "number" || !Number.isInteger(current) || current < 0) {
    throw new StackFileError(`${source}: rotations.${node} is ${JSON.stringify(current)}, not a generation number; fix it by hand first`);
  }
  const generation = current + 1;
  if (rotations === undefined) fleet.set("rotations", document.createNode({ [node]: generation }));
  else rotations.set(node, generation);
  return { text: document.toString(), generation };
}
