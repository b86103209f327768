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
