import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { fleetFromOutputFiles } from "../../../src/fleet-input/read-inputs";
import type { Fleet } from "../../../src/fleet-input/types";
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

/** The example stacks' merged fleet for a test file: made before its tests, removed after. */
export function useExampleFleet(): () => Fleet {
  let dir: string | undefined;
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    const made = await exampleOutputFiles();
    dir = made.dir;
    fleet = fleetFromOutputFiles(made.files);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => fleet as Fleet;
}

/**
 * A share key fixed for tests whose counts depend on which nodes are reserved (kept off pages):
 * with a random key, that set changes each run and a count can fail one run in many.
 */
export const fixedShareKey = Buffer.alloc(32, 7);
