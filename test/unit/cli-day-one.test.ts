import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseFleet, repoRoot } from "./support/fixtures";
import { inDays, runCli, writeStack } from "./support/plan-cli";
import { npmSwallowedFlags, npmSwallowedHint } from "../../src/cli/npm-swallowed-flags";

const work = mkdtempSync(join(tmpdir(), "lifeline-day-one-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The package's bin, as a user runs it. */
function lifeline(...args: string[]) {
  const result = spawnSync(join(repoRoot, "bin/lifeline.js"), args, { encoding: "utf8", cwd: repoRoot });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** An npm script, as the README gives it; the child gets its own npm_lifecycle_event. */
function npmRun(...args: string[]) {
  const result = spawnSync("npm", ["run", "--silent", ...args], { encoding: "utf8", cwd: repoRoot });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const threeRegions = { provider: "digitalocean", regions: ["fra1", "ams3", "lon1"], nodesPerRegion: 1 };

describe("small things a user meets on day one", () => {
  it("plans a stack named as the argument, as --stack does", () => {
    const byName = lifeline("plan", "example-do");
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('lifeline plan for stack "example-do" (stacks/Pulumi.example-do.yaml)');
    expect(lifeline("plan", "--stack", "example-do").stdout).toBe(byName.stdout);
    const none = lifeline("plan");
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("lifeline: give the stack to plan: lifeline plan <name> (reads stacks/Pulumi.<name>.yaml), e.g. lifeline plan example-do\n");
    const two = lifeline("plan", "example-do", "--stack", "example-aws");
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("give the stack once");
  });

  it("says how to write the npm command when npm kept the flags for itself", () => {
    const swallowed = npmRun("plan", "--stack", "example-do");
    expect(swallowed.code).toBe(2);
    expect(swallowed.stdout).toBe("");
    expect(swallowed.stderr).toBe(
      "lifeline: npm kept --stack for itself, so lifeline did not get it: put -- between the script and its flags: npm run plan -- --stack example-do\n",
    );
    const many = npmRun("share", "--preview", "--stacks", "example-do");
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/^lifeline: npm kept --stacks, --preview for itself, so lifeline did not get them: .*npm run share -- --stacks \.\.\. --preview \.\.\. example-do\n$/);
    // Written as the hint says, both run.
    expect(npmRun("plan", "--", "--stack", "example-do").code).toBe(0);
    expect(npmRun("plan", "example-do").code).toBe(0);
  });

  it("takes the flag's value from npm's variable when npm kept it there", () => {
    expect(npmSwallowedFlags("plan", ["x"], { npm_lifecycle_event: "plan", npm_config_stack: "aigerim" }, ["--stack", "--stacks-dir"])).toEqual(["--stack"]);
    // Run by another script (npm test spawning the CLI), npm's variables are not this command's.
    expect(npmSwallowedFlags("plan", [], { npm_lifecycle_event: "test", npm_config_stack: "aigerim" }, ["--stack"])).toEqual([]);
    expect(npmSwallowedHint("plan", ["--stack"], [], { npm_config_stack: "aigerim" })).toMatch(/: npm run plan -- --stack aigerim$/);
  });

  it("prints its version", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    const printed = lifeline("--version");
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`${version}\n`);
  });

  it("shows which nodes a rotations entry changes, and that the others keep their links", () => {
    writeStack(work, "rotated", { ...baseFleet(), expires: inDays(10), groups: [threeRegions], rotations: { "do-ams3-0": 2 } });
    const { code, stdout } = runCli("plan", "rotated", "--stacks-dir", work);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "rotations: do-ams3-0 (generation 2): the first pulumi up with this generation gives it a new address, new secrets and new links (its VM is replaced), " +
        'and needs room for one more address while it runs; 2 other nodes keep their address and links. Share the new links, retire the old (README, "Rotating a blocked node")',
    );
    writeStack(work, "unrotated", { ...baseFleet(), expires: inDays(10), groups: [threeRegions] });
    expect(runCli("plan", "unrotated", "--stacks-dir", work).stdout).not.toContain("rotations:");
  });

  it("prices each stack only until its expiry, and an expired one for no days", () => {
    writeStack(work, "long", { ...baseFleet(), volunteer: "Long", expires: inDays(100), groups: [threeRegions] });
    writeStack(work, "short", { ...baseFleet(), volunteer: "Short", expires: inDays(4), groups: [threeRegions] });
    writeStack(work, "over", { ...baseFleet(), volunteer: "Over", expires: inDays(-3), groups: [threeRegions] });
    const { code, stdout, stderr } = runCli("cost", "--stacks", "long,short,over", "--stacks-dir", work, "--json", "--days", "30");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const [long, short, over] = report.volunteers;
    // The three stacks are alike: the same cost a day, priced for 30, 5 (today through the expiry day) and 0 days.
    expect(short.usdPerDay).toBeCloseTo(long.usdPerDay, 10);
    expect(long.usdForDays).toBeCloseTo(long.usdPerDay * 30, 10);
    expect(short.usdForDays).toBeCloseTo(short.usdPerDay * 5, 10);
    expect(over.usdForDays).toBe(0);
    expect(report.total.usdForDays).toBeCloseTo(long.usdPerDay * 35, 10);
    expect(stderr).toContain(`short: expires on ${inDays(4)}, so priced for 5 of the 30 days`);
    expect(stderr).toContain(`over: expired on ${inDays(-3)}, so priced for none of the 30 days; if its nodes still exist they still bill`);
    expect(stderr).not.toContain("long:");
  });

  it('says "nothing was written" only from a command that writes files', () => {
    for (const command of ["cost", "expired"]) {
      const { code, stderr } = runCli(command, "--stacks", "nobody", "--stacks-dir", work);
      expect(code, command).toBe(1);
      expect(stderr, command).toMatch(/^1 problem in the stack files:\n  - .*Pulumi\.nobody\.yaml does not exist/);
    }
    const check = runCli("check", "--outputs", join(work, "missing.json"));
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(`1 problem in the stack outputs:\n  - ${join(work, "missing.json")}: no such file\n`);
    const share = runCli("share", "--outputs", join(work, "missing.json"), "--out", join(work, "never"));
    expect(share.stderr).toContain("1 problem in the stack outputs, nothing was written:");
  });

  it("points only to README and docs/ sections that exist", () => {
    const headingsOf = (doc: string) =>
      readFileSync(join(repoRoot, doc), "utf8")
        .split("\n")
        .filter((l) => /^#+ /.test(l))
        .map((l) => l.replace(/^#+ /, "").trim());
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const pointers: { file: string; doc: string; section: string }[] = [];
    for (const file of files(join(repoRoot, "src"))) {
      const text = readFileSync(file, "utf8");
      // Every pointer is written README, "Section" or docs/<file>.md, "Section": a bare one would go unchecked.
      expect(text, relative(repoRoot, file)).not.toMatch(/README(,| section) [A-Z]/);
      for (const m of text.matchAll(/(README|docs\/[a-z-]+\.md)(?:,| section) "([^"]+)"/g)) {
        const [, doc = "", section = ""] = m;
        pointers.push({ file: relative(repoRoot, file), doc: doc === "README" ? "README.md" : doc, section });
      }
    }
    expect(pointers.length).toBeGreaterThan(5);
    expect(pointers.some((p) => p.doc.startsWith("docs/"))).toBe(true);
    for (const { file, doc, section } of pointers) {
      const headings = headingsOf(doc);
      expect(headings.some((h) => h === section || h.startsWith(`${section} (`)), `${file}: ${doc}, "${section}"`).toBe(true);
    }
  });

});
