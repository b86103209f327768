import { readFileSync, writeFileSync } from "node:fs";
import { isMap, isSeq, parseDocument, type YAMLSeq } from "yaml";

export class StackFileError extends Error {}

const fleetPath = ["config", "lifeline:fleet"] as const;

/**
 * Sets `lifeline:fleet.openPorts` in a stack file's text, keeping every comment and the rest of
 * the layout (the yaml library's Document API edits the parsed tree, not the text). The list is
 * written in flow style, `[443, 8443]`, with the comments the old one carried.
 */
export function withOpenPorts(text: string, source: string, ports: readonly number[]): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new StackFileError(`${source} is not valid YAML: ${document.errors[0]!.message}`);
  const fleet = document.getIn(fleetPath, true);
  if (!isMap(fleet)) throw new StackFileError(`${source} has no config: lifeline:fleet: block; is it a lifeline stack file? (see stacks/Pulumi.example-do.yaml)`);
  const old = fleet.get("openPorts", true);
  const next = document.createNode([...ports]) as YAMLSeq;
  next.flow = true;
  if (isSeq(old)) {
    next.comment = old.comment;
    next.commentBefore = old.commentBefore;
    next.spaceBefore = old.spaceBefore;
  }
  fleet.set("openPorts", next);
  return document.toString();
}

/** Rewrites the file in place; refuses an empty list, which no stack accepts. */
export function writeOpenPorts(path: string, ports: readonly number[]): void {
  if (ports.length === 0) throw new StackFileError(`no open port was found, so ${path} was left as it was`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StackFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  writeFileSync(path, withOpenPorts(text, path, ports));
}
