import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/fixtures";

const json = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), "utf8"));

// yaml renders every node's user data: a release that wrote it one byte differently would
// replace every node of every stack on the next `pulumi up`.
describe("the yaml library", () => {
  it("is pinned to one exact version in package.json, the lock file and node_modules", () => {
    const wanted = json("package.json").dependencies.yaml as string;
    expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
    const lock = json("package-lock.json");
    expect(lock.packages[""].dependencies.yaml).toBe(wanted);
    expect(lock.packages["node_modules/yaml"].version).toBe(wanted);
    expect(json("node_modules/yaml/package.json").version).toBe(wanted);
  });
});
