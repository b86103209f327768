import { readFileSync } from "node:fs";
import { requesterId } from "../share/request-answer";
import { CliError } from "./cli-error";

/**
 * The requesters of `--for-file`: one handle or id a line, as given; blank lines and lines
 * starting with # are skipped. A line that names nobody is an error naming its line number.
 */
export function readHandles(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`--for-file ${path}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code})`}`, 1);
  }
  const handles: string[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (requesterId(line) === "") bad.push(i + 1);
    else handles.push(line);
  });
  if (bad.length > 0) throw new CliError(`${path}: line ${bad.join(", ")} names no requester: put one handle or id on each line, e.g. @aigerim`, 1);
  if (handles.length === 0) throw new CliError(`${path}: no requesters in it: put one handle or id on each line, e.g. @aigerim`, 1);
  return handles;
}
