import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stateFolderOf } from "../../scripts/state-folder.cjs";
import { repoRoot } from "./support/fixtures";

// Pulumi's file backend does not create its folder (pulumi/pulumi#15841): `pulumi stack init`
// fails with "stat ...: no such file or directory" on a machine that has never run lifeline.

const work = mkdtempSync(join(tmpdir(), "lifeline-state-"));
chmodSync(work, 0o755); // the fresh user below must reach its home inside
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Pulumi.yaml's backend URL, which the README's commands use. */
const projectBackend: string = parse(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")).backend.url;

/** Where Pulumi keeps state for a user whose home is `home`, read from Pulumi.yaml itself. */
function projectStateFolder(home: string): string {
  expect(projectBackend).toMatch(/^file:\/\/~\//);
  return join(home, projectBackend.slice("file://~/".length));
}

// A user that has never run lifeline: no entry in the user database (so Pulumi, like this
// code, takes $HOME for `~`) and an empty home folder of its own.
const freshUid = 64_999;
const isRoot = process.getuid?.() === 0;

function freshHome(name: string): string {
  const home = join(work, name);
  mkdirSync(home);
  chownSync(home, freshUid, freshUid);
  return home;
}

function asFreshUser(home: string, command: string[], env: Record<string, string> = {}) {
  const result = spawnSync("setpriv", [`--reuid=${freshUid}`, `--regid=${freshUid}`, "--clear-groups", ...command], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the Pulumi state folder", () => {
  it("is where Pulumi looks for each kind of backend URL", () => {
    expect(stateFolderOf("file://~/.lifeline-state", "/home/a", "/p")).toBe("/home/a/.lifeline-state");
    expect(stateFolderOf("file://~", "/home/a", "/p")).toBe("/home/a");
    expect(stateFolderOf("file:///srv/state?no_tmp_dir=true", "/home/a", "/p")).toBe("/srv/state");
    expect(stateFolderOf("file://./state", "/home/a", "/p")).toBe("/p/state");
    expect(stateFolderOf("s3://bucket/lifeline?region=eu-central-1", "/home/a", "/p")).toBeUndefined();
    expect(stateFolderOf("https://api.pulumi.com", "/home/a", "/p")).toBeUndefined();
  });

  it.skipIf(!isRoot)("is created by npm ci's postinstall in a fresh home, where Pulumi.yaml says", () => {
    const home = freshHome("after-npm-ci");
    const folder = projectStateFolder(home);
    expect(existsSync(folder)).toBe(false);
    // The same script npm ci runs after installing: package.json's postinstall.
    const { code, stdout, stderr } = asFreshUser(home, ["npm", "run", "-s", "postinstall"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`Pulumi state folder ${folder} is ready`);
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(folder).uid).toBe(freshUid);
  });

  it.skipIf(!isRoot)("is created by npm run plan too (npm ci --ignore-scripts skips postinstall)", () => {
    const home = freshHome("after-plan");
    const { code, stderr } = asFreshUser(home, ["npm", "run", "-s", "plan", "--", "--stack", "example-do"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(statSync(projectStateFolder(home)).isDirectory()).toBe(true);
  });

  it.skipIf(!isRoot)("follows PULUMI_BACKEND_URL, which wins over Pulumi.yaml as in the Pulumi CLI", () => {
    const home = freshHome("shared-backend");
    const shared = join(home, "organizers", "state");
    const local = asFreshUser(home, ["npm", "run", "-s", "postinstall"], { PULUMI_BACKEND_URL: `file://${shared}` });
    expect(local.code).toBe(0);
    expect(statSync(shared).isDirectory()).toBe(true);
    expect(existsSync(projectStateFolder(home))).toBe(false);

    const bucket = asFreshUser(home, ["npm", "run", "-s", "postinstall"], { PULUMI_BACKEND_URL: "s3://bucket/lifeline?region=eu-central-1" });
    expect(bucket.code).toBe(0);
    expect(bucket.stderr).toBe("");
    expect(existsSync(projectStateFolder(home))).toBe(false);
  });
});
