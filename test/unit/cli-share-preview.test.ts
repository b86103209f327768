import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseFleet, repoRoot } from "./support/fixtures";
import { inDays, writeStack } from "./support/plan-cli";

const work = mkdtempSync(join(tmpdir(), "lifeline-preview-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `lifeline share ...` through the package's bin, as a user runs it; HOME is the test's own. */
function lifeline(...args: string[]) {
  const result = spawnSync(join(repoRoot, "bin/lifeline.js"), ["share", ...args], {
    encoding: "utf8",
    cwd: work,
    env: { ...process.env, HOME: work, LIFELINE_SHARE_KEY_FILE: join(work, "share-key") },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const testNet = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/;
const notice = "PREVIEW — these links do not work";

describe("lifeline share --preview", () => {
  it("builds every page, post and outline.json from the example stack files, with TEST-NET addresses and marked PREVIEW", () => {
    const out = join(work, "preview");
    const { code, stdout, stderr } = lifeline("--preview", "--stacks", "example-do,example-aws", "--stacks-dir", join(repoRoot, "stacks"), "--out", out);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("6 nodes from 2 stacks, 1 reserved (on no page: --reserved writes them); 3 batch pages of 2 nodes");
    expect(readdirSync(out).sort()).toEqual([
      "all.html", "batch-01.html", "batch-02.html", "batch-03.html", "outline.json", "sub",
      "telegram-01.txt", "telegram-02.txt", "telegram-03.txt",
    ]);
    for (const name of readdirSync(out, { recursive: true }).map(String)) {
      if (statSync(join(out, name)).isDirectory()) continue;
      const raw = readFileSync(join(out, name), "utf8");
      // A subscription list stays base64, as apps read it: the notice is inside.
      const text = name.startsWith("sub/") && !name.includes(".") ? Buffer.from(raw, "base64").toString("utf8") : raw;
      if (text !== raw) expect(Buffer.from(text, "utf8").toString("base64"), name).toBe(raw.trim());
      expect(text, name).toContain(notice);
      // Every address any link carries is a documentation address: nothing real can be reached.
      const addresses = [...text.matchAll(/\b\d{1,3}(\.\d{1,3}){3}\b/g)].map((m) => m[0]);
      // A subscription's headers file holds no link, and a batch of nodes without vless or
      // Shadowsocks (the preview key, and so the batches, are new each run) has an empty list.
      if (!name.startsWith("sub/")) expect(addresses.length, name).toBeGreaterThan(0);
      for (const address of addresses) expect(address, name).toMatch(testNet);
    }
    // The notice comes first on a page, and first and last in a post.
    const page = readFileSync(join(out, "batch-01.html"), "utf8");
    expect(page.indexOf(notice)).toBeLessThan(page.indexOf("<main>"));
    const post = readFileSync(join(out, "telegram-01.txt"), "utf8").trimEnd().split("\n");
    expect([post[0], post.at(-1)]).toEqual([notice, notice]);
    expect(JSON.parse(readFileSync(join(out, "outline.json"), "utf8")).preview).toBe(notice);
    // The organizers' page lists the stacks the preview came from.
    expect(readFileSync(join(out, "all.html"), "utf8")).toContain("stack example-aws (preview)");
    // A preview neither makes nor needs the fleet's share key.
    expect(stdout).not.toContain("share key");
    expect(existsSync(join(work, "share-key"))).toBe(false);
  });

  it("answers a request from the stack files, marked as a preview", () => {
    const { code, stdout } = lifeline("--preview", "--stacks", "example-do", "--stacks-dir", join(repoRoot, "stacks"), "--for", "@aigerim", "--lang", "en");
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(notice);
    expect(stdout).toMatch(/server=192\.0\.2\.\d+&port=443/);
    expect(existsSync(join(work, "share-key"))).toBe(false);
  });

  it("names the stack file and field of a bad stack, and writes nothing", () => {
    const dir = mkdtempSync(join(work, "bad-"));
    writeStack(dir, "aigerim", { ...baseFleet(), expires: inDays(10), budgetPerDay: "lots" });
    const out = join(dir, "out");
    const { code, stderr } = lifeline("--preview", "--stacks", "aigerim,nobody", "--stacks-dir", dir, "--out", out);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^2 problems in the stack files, nothing was written:\n/);
    expect(stderr).toContain("Pulumi.aigerim.yaml: lifeline:fleet.budgetPerDay:");
    expect(stderr).toContain("Pulumi.nobody.yaml does not exist");
    expect(existsSync(out)).toBe(false);
  });

  it("refuses --preview with --outputs, saying what it reads", () => {
    const { code, stderr } = lifeline("--preview", "--outputs", "x.json");
    expect(code).toBe(2);
    expect(stderr).toBe("lifeline: --preview reads stack files, not outputs: give --stacks a,b (stacks/Pulumi.<name>.yaml)\n");
  });

  it("shares a one-node fleet with --small-fleet, and refuses it without, naming the flag", () => {
    const dir = mkdtempSync(join(work, "one-"));
    writeStack(dir, "solo", { ...baseFleet(), expires: inDays(10) });
    const refused = lifeline("--preview", "--stacks", "solo", "--stacks-dir", dir, "--out", join(dir, "refused"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "lifeline: a page of 2 nodes would show the whole fleet of 1: add nodes, or give --small-fleet to share it anyway " +
        "(every page then shows every node: one leaked page burns them all)\n",
    );
    expect(existsSync(join(dir, "refused"))).toBe(false);
    const out = join(dir, "shared");
    const shared = lifeline("--preview", "--stacks", "solo", "--stacks-dir", dir, "--out", out, "--small-fleet");
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain("warning: --small-fleet: every page shows the whole fleet of 1");
    expect(shared.stdout).toContain("1 node from 1 stack; 1 batch pages of 1 nodes; each node on 1-1 pages");
    expect(readFileSync(join(out, "batch-01.html"), "utf8")).toContain("server=192.0.2.1&amp;port=443");
  });
});
