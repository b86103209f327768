import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs the real validator from Debian's cloud-init package on a document. */
export function cloudInitSchema(document: string): { valid: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "lifeline-schema-"));
  try {
    const file = join(dir, "user-data.yaml");
    writeFileSync(file, document);
    const result = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
    if (result.error) {
      throw new Error(`cannot run cloud-init (${result.error.message}); install it: sudo apt-get install -y cloud-init`);
    }
    return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
