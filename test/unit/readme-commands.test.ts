import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./support/fixtures";
import { headingAnchor, offlineBlocks, offlineMarker } from "./support/readme-blocks";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const blocks = offlineBlocks(readme);

/** A copy of the project as a reader has it after `npm ci`, with a home of its own. */
const project = mkdtempSync(join(tmpdir(), "lifeline-readme-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));
for (const entry of ["stacks", "package.json", "Pulumi.yaml", "src", "infra", "bin", "scripts", "tsconfig.json"]) {
  cpSync(join(repoRoot, entry), join(project, entry), { recursive: true });
}
symlinkSync(realpathSync(join(repoRoot, "node_modules")), join(project, "node_modules"));
const home = join(project, ".home");
mkdirSync(home);

/** The reader's environment: no npm script context, no share key or backend of the developer's. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("npm_") && !k.startsWith("LIFELINE_") && !k.startsWith("PULUMI_") && k !== "VITEST"),
);
Object.assign(env, { HOME: home, npm_config_update_notifier: "false", NO_COLOR: "1" });

/** A Node stack trace: `    at fn (file:line:col)` or `    at file:line:col`. */
const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

describe("the README's offline command blocks, run as a reader runs them", () => {
  it("marks the blocks the runbook promises", () => {
    const all = blocks.flatMap((b) => b.commands.map((c) => c.text));
    const covered = (pattern: RegExp) => all.some((c) => pattern.test(c));
    // A marker outside a ```sh block's first line would mark nothing: every one must count.
    expect(readme.split("\n").filter((l) => l.trim() === offlineMarker).length).toBe(blocks.length);
    for (const pattern of [
      /^npm run plan -- (--stack )?\w+/,
      /^npx lifeline fleet new \S+/,
      /^cat > \S+ <<'YAML'\n[\s\S]+\nYAML$/,
      /^npx lifeline init \w+ .*--budget .*--expires .*--open-ports/,
      /^npx lifeline share --preview --stacks \w+(,\w+)+/,
      /^npx lifeline cost --stacks \w+(,\w+)+/,
      /^npx lifeline expired --stacks \w+(,\w+)+/,
      /umask 077 && mkdir -p outputs/,
    ]) {
      expect(covered(pattern), String(pattern)).toBe(true);
    }
  });

  for (const block of blocks) {
    for (const command of block.commands) {
      it(`README line ${command.line}: ${command.text.split("\n")[0]}`, { timeout: 120_000 }, () => {
        const result = spawnSync("bash", ["-c", command.text], { cwd: project, env, encoding: "utf8", timeout: 110_000 });
        const output = `${result.stdout}\n${result.stderr}`;
        expect(result.status, `exit code of README line ${command.line}:\n${output}`).toBe(command.exitCode);
        expect(output, `README line ${command.line} printed a stack trace`).not.toMatch(stackTrace);
      });
    }
  }

  it("left what the runbook says it makes", () => {
    for (const name of ["aigerim", "bolat", "dana", "erlan"]) expect(existsSync(join(project, "stacks", `Pulumi.${name}.yaml`)), name).toBe(true);
    const preview = readdirSync(join(project, "out", "preview"));
    expect(preview).toEqual(expect.arrayContaining(["batch-01.html", "telegram-01.txt", "outline.json"]));
    expect(readFileSync(join(project, "out", "preview", "batch-01.html"), "utf8")).toContain("PREVIEW");
    expect(readdirSync(join(project, "out", "preview-erlan"))).toContain("batch-01.html");
    // Outputs files hold every secret of a stack: their folder is the organizer's alone.
    expect(statSync(join(project, "outputs")).mode & 0o777).toBe(0o700);
  });
});

describe("the README's links", () => {
  const anchorsOf = (file: string) =>
    new Set(
      readFileSync(join(repoRoot, file), "utf8")
        .replace(/^\s*```[\s\S]*?^\s*```/gm, "")
        .split("\n")
        .filter((l) => /^#+ /.test(l))
        .map((l) => headingAnchor(l.replace(/^#+ /, "").trim())),
    );

  it("point to headings and files that exist, in the README and in docs/", () => {
    const docs = ["README.md", ...readdirSync(join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(repoRoot, doc), "utf8");
      const dir = doc.includes("/") ? doc.slice(0, doc.lastIndexOf("/") + 1) : "";
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1]!;
        if (/^[a-z]+:/.test(link)) continue;
        const [path = "", anchor] = link.split("#");
        const target = path === "" ? doc : join(dir, path).replace(/\\/g, "/");
        if (!existsSync(join(repoRoot, target))) broken.push(`${doc}: ${link} (no file ${target})`);
        else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(target).has(anchor)) broken.push(`${doc}: ${link} (no heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
