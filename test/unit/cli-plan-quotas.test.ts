import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseFleet } from "./support/fixtures";
import { inDays, runPlanCli, writeStack } from "./support/plan-cli";

const work = mkdtempSync(join(tmpdir(), "lifeline-cli-quotas-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stackWith(name: string, groups: unknown[], quotas?: unknown): void {
  writeStack(work, name, { ...baseFleet(), budgetPerDay: 100, expires: inDays(10), groups, ...(quotas ? { quotas } : {}) });
}

describe("npm run plan and account limits", () => {
  it("refuses a stack over a new account's limits, every limit listed, nothing planned", () => {
    stackWith("over", [
      { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 },
      { provider: "aws", regions: ["me-south-1"], nodesPerRegion: 1 },
    ]);
    const { code, stdout, stderr } = runPlanCli("--stack", "over", "--stacks-dir", work);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("3 problems in the fleet config, nothing was created");
    expect(stderr).toMatch(/lifeline:fleet\.quotas\.digitalocean\.reservedIps: this stack needs 4 reserved IPs, but a new DigitalOcean account has 3/);
    expect(stderr).toMatch(/lifeline:fleet\.quotas\.digitalocean\.droplets: this stack needs 4 Droplets/);
    expect(stderr).toMatch(/lifeline:fleet\.groups\[1\]\.regions\[0\]: me-south-1 is an opt-in AWS region/);
    expect(stderr).toContain("e.g. reservedIps: 10");
    expect(stderr).toContain("e.g. quotas: { aws: { optInRegions: [me-south-1] } }");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("plans it once the raised limits and the enabled region are declared, and says what it relies on", () => {
    stackWith(
      "raised",
      [
        { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 },
        { provider: "aws", regions: ["me-south-1"], nodesPerRegion: 1 },
      ],
      { digitalocean: { reservedIps: 10, droplets: 10 }, aws: { optInRegions: ["me-south-1"] } },
    );
    const { code, stdout, stderr } = runPlanCli("--stack", "raised", "--stacks-dir", work);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("account quotas beyond a new account's defaults");
    expect(stdout).toContain("  - DigitalOcean reserved IPs: 4 (new accounts: 3; declared 10 as quotas.digitalocean.reservedIps)");
    expect(stdout).toContain("  - AWS opt-in region me-south-1: declared enabled (quotas.aws.optInRegions)");
  });

  it("says the example stack fits a new DigitalOcean account", () => {
    const { code, stdout } = runPlanCli("--stack", "example-do");
    expect(code).toBe(0);
    expect(stdout).toContain("account quotas: within a new account's defaults");
  });
});

describe("npm run plan and the room updates need", () => {
  it("flags the example stack at a new account's limits, and offers replaceInPlace", () => {
    const { code, stdout } = runPlanCli("--stack", "example-do");
    expect(code).toBe(0);
    expect(stdout).toContain("updates after the first pulumi up (Pulumi creates a replacement before it deletes what it replaces):");
    expect(stdout).toContain("  - warning: DigitalOcean Droplets: an update that replaces nodes needs up to 6, but a new account's limit is 3");
    expect(stdout).toContain("Set replaceInPlace: true in the stack file");
  });

  it("with replaceInPlace, says the outage and flags no Droplet shortfall", () => {
    writeStack(work, "in-place", { ...baseFleet(), budgetPerDay: 100, expires: inDays(10), groups: [{ provider: "digitalocean", regions: ["fra1", "ams3", "lon1"], nodesPerRegion: 1 }], replaceInPlace: true });
    const { code, stdout, stderr } = runPlanCli("--stack", "in-place", "--stacks-dir", work);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("replaceInPlace is on: a node whose VM is replaced");
    expect(stdout).toContain("its relays are down for a few minutes");
    expect(stdout).toContain("  - DigitalOcean Droplets: 3 at most, as replaced nodes go first (a new account's limit 3)");
    // A rotation still makes its new address first: that shortfall stays said.
    expect(stdout).toContain("  - warning: DigitalOcean reserved IPs: rotating a node needs 4, but a new account's limit is 3");
  });

  it("refuses a replaceInPlace that is not true or false", () => {
    writeStack(work, "bad-in-place", { ...baseFleet(), budgetPerDay: 100, expires: inDays(10), replaceInPlace: "yes" });
    const { code, stderr } = runPlanCli("--stack", "bad-in-place", "--stacks-dir", work);
    expect(code).toBe(1);
    expect(stderr).toContain("lifeline:fleet.replaceInPlace: must be true or false");
  });
});
