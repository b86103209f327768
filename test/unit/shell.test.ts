import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../src/cloudinit/shell";

/** What dash (the node's /bin/sh) makes of `printf %s <word>`. */
function shellSees(word: string): string {
  const r = spawnSync("sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });
  return r.stdout;
}

describe("shell quoting of config values", () => {
  it("keeps command substitutions, quotes and separators literal in a real shell", () => {
    for (const value of ["https://m/x$(touch${IFS}/tmp/pwned);#", "a'b", "`id`", "a b\tc", "; rm -rf /", "\\'\\\\", "$HOME"]) {
      expect(shellSees(shellQuote(value))).toBe(value);
    }
  });

  it("keeps any text literal (property test, 300 random strings)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")), (value) => {
        expect(shellSees(shellQuote(value))).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
