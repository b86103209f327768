import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackFleet } from "./fixtures";
import { stackOutputsJson } from "./stack-outputs";

/** The example stacks' outputs, made by the real program under mocks, written as files. */
export async function exampleOutputFiles(): Promise<{ dir: string; files: string[]; json: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), "lifeline-share-"));
  const json: Record<string, string> = {};
  const files: string[] = [];
  for (const stack of ["example-do", "example-aws"]) {
    json[stack] = await stackOutputsJson(stack, stackFleet(stack));
    const file = join(dir, `${stack}.json`);
    writeFileSync(file, json[stack]);
    files.push(file);
  }
  return { dir, files, json };
}

/** Outputs JSON with one change, for error tests: `edit` mutates the parsed outputs. */
export function editedOutputs(json: string, edit: (outputs: any) => void): string {
  const outputs = JSON.parse(json);
  edit(outputs);
  return JSON.stringify(outputs);
}
