import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./support/fixtures";
import { runCli } from "./support/plan-cli";

// Files holding secrets stay out of git and readable by their owner alone.
const work = mkdtempSync(join(tmpdir(), "lifeline-secret-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

function outputsFile(path: string): string {
  const nodes = [0, 1, 2].map((i) => ({
    name: `do-fra1-${i}`,
    provider: "digitalocean",
    region: "fra1",
    address: `203.0.113.${i + 1}`,
    links: { shadowsocks: { transport: "encrypted", accessKey: `ss://${Buffer.from("chacha20-ietf-poly1305:Pw0123456789").toString("base64url")}@203.0.113.${i + 1}:8388#fra1-${i}` } },
  }));
  writeFileSync(path, JSON.stringify({ nodes }));
  return path;
}

describe("secret files", () => {
  it("git ignores the outputs files, the share key and its request log by their default names", () => {
    const names = ["outputs/aigerim.json", "aigerim.outputs.json", "share.key", "outputs/share.key", "share.key.requests", "out/share/batch-01.html"];
    const r = spawnSync("git", ["check-ignore", "--no-index", ...names], { cwd: repoRoot, encoding: "utf8" });
    expect(r.stdout.trim().split("\n")).toEqual(names);
    // And not everything: sources stay tracked.
    expect(spawnSync("git", ["check-ignore", "--no-index", "src/cli/main.ts", "stacks/Pulumi.example-do.yaml"], { cwd: repoRoot }).status).toBe(1);
  });

  it("share writes the key, the folder and every file for the owner only, and narrows a key left readable to others", () => {
    const dir = join(work, "outputs");
    mkdirSync(dir);
    const outputs = outputsFile(join(dir, "aigerim.json"));
    const out = join(work, "share");
    const r = runCli("share", "--outputs", outputs, "--key", join(dir, "share.key"), "--out", out, "--per-page", "2", "--reserve", "0");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(modeOf(join(dir, "share.key"))).toBe("600");
    expect(modeOf(out)).toBe("700");
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(["all.html", "batch-01.html", "telegram-01.txt", "outline.json"]));
    for (const file of files) expect([file, modeOf(join(out, file))]).toEqual([file, statSync(join(out, file)).isDirectory() ? "700" : "600"]);
    // A key copied in with the umask's 0644, and pages left 0644 by an older run.
    chmodSync(join(dir, "share.key"), 0o644);
    chmodSync(join(out, "all.html"), 0o644);
    const again = runCli("share", "--outputs", outputs, "--key", join(dir, "share.key"), "--out", out, "--per-page", "2", "--reserve", "0");
    expect(again.code).toBe(0);
    expect(modeOf(join(dir, "share.key"))).toBe("600");
    expect(modeOf(join(out, "all.html"))).toBe("600");
    // The answer to one request reads the key too.
    chmodSync(join(dir, "share.key"), 0o640);
    expect(runCli("share", "--outputs", outputs, "--key", join(dir, "share.key"), "--for", "@dana", "--reserve", "0").code).toBe(0);
    expect(modeOf(join(dir, "share.key"))).toBe("600");
  });
});
