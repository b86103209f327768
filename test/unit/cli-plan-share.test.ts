import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { baseFleet } from "./support/fixtures";
import { runPlanCli } from "./support/plan-cli";

const work = mkdtempSync(join(tmpdir(), "lifeline-share-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeStack(name: string, config: Record<string, unknown>): void {
  writeFileSync(join(work, `Pulumi.${name}.yaml`), stringify({ config }));
}

describe("npm run plan for a share stack", () => {
  it("plans the example share stack offline: what pulumi up creates on AWS, and that it has no flat fee", () => {
    const { code, stdout, stderr } = runPlanCli("--stack", "example-share");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Share stack example-share (stacks/Pulumi.example-share.yaml): subscriptions and share pages on AWS eu-central-1");
    expect(stdout).toContain("S3 bucket files-<12 random hex> in eu-central-1: private, all four public-access blocks on");
    expect(stdout).toContain("no one may list them (no s3:ListBucket)");
    expect(stdout).toContain("CloudFront distribution, https only");
    expect(stdout).toContain("sub/* 60 s (at most 300 s)");
    expect(stdout).toContain("Cost: no flat fee, pay per use");
    expect(stdout).toContain("then about $0.085/GB");
  });

  it("says a DigitalOcean share stack costs $5.00 a month flat, and where people will fetch from", () => {
    writeStack("share-do", { "lifeline:share": { provider: "digitalocean", region: "ams3", name: "files-7f3a9c" } });
    const { code, stdout } = runPlanCli("--stack", "share-do", "--stacks-dir", work);
    expect(code).toBe(0);
    expect(stdout).toContain("Spaces bucket files-7f3a9c in ams3: private (file listing off)");
    expect(stdout).toContain("https://files-7f3a9c.ams3.cdn.digitaloceanspaces.com/, cache 60 s");
    expect(stdout).toContain("Cost: $5.00 a month flat");
    expect(stdout).toContain("Uploads go to https://ams3.digitaloceanspaces.com");
  });

  it("refuses a bad share block with a message naming the field, and no stack trace", () => {
    writeStack("share-bad", { "lifeline:share": { provider: "aws", region: "fra1" } });
    const { code, stdout, stderr } = runPlanCli("--stack", "share-bad", "--stacks-dir", work);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain("1 problem in the share config, nothing was created:");
    expect(stderr).toContain('lifeline:share.region: "fra1" is not an AWS region lifeline knows; use one of:');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a stack file with both a fleet and a share block", () => {
    writeStack("share-and-fleet", { "lifeline:fleet": baseFleet(), "lifeline:share": { provider: "aws", region: "eu-central-1" } });
    const { code, stderr } = runPlanCli("--stack", "share-and-fleet", "--stacks-dir", work);
    expect(code).not.toBe(0);
    expect(stderr).toContain("a share stack declares only lifeline:share, and this file has lifeline:fleet too");
  });
});
