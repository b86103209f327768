import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseFleet, raisedQuotas } from "./support/fixtures";
import { runCli, writeStack } from "./support/plan-cli";
import { stackOutputsJson } from "./support/stack-outputs";

const work = mkdtempSync(join(tmpdir(), "lifeline-cost-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Two volunteers: Aigerim's three droplets (fleet A of cost.test.ts) and Bolat's mixed stack
// (fleet C): $0.5714286 and $4.6563448 a day, $5.2277734 in all; shares 10.9% and 89.1%.
const aigerim = {
  ...baseFleet(),
  volunteer: "Aigerim",
  budgetPerDay: 1,
  expires: "2027-06-30",
  groups: [
    { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2, size: "s-1vcpu-1gb" },
    { provider: "digitalocean", regions: ["ams3"], nodesPerRegion: 1, size: "s-1vcpu-512mb-10gb" },
  ],
};
const bolat = {
  ...baseFleet(),
  volunteer: "Bolat",
  budgetPerDay: 10,
  expires: "2027-06-30",
  trafficGbPerNodeDay: 20,
  quotas: raisedQuotas(),
  groups: [
    { provider: "digitalocean", regions: ["lon1"], nodesPerRegion: 1, size: "s-1vcpu-1gb" },
    { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.micro" },
    { provider: "aws", regions: ["ap-south-1"], nodesPerRegion: 1, size: "t3.micro" },
  ],
};

let outputs: string[];
beforeAll(async () => {
  writeStack(work, "aigerim", aigerim);
  writeStack(work, "bolat", bolat);
  outputs = [];
  for (const [stack, fleet] of [["aigerim", aigerim], ["bolat", bolat]] as const) {
    const file = join(work, `${stack}.json`);
    writeFileSync(file, await stackOutputsJson(stack, fleet));
    outputs.push(file);
  }
});

const cost = (...args: string[]) => runCli("cost", "--stacks-dir", work, ...args);

describe("lifeline cost", () => {
  it("prints a table per volunteer, the fleet's total and each share, offline from stack files", () => {
    const { code, stdout, stderr } = cost("--stacks", "aigerim,bolat", "--days", "7");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^VOLUNTEER\s+STACKS\s+NODES\s+PER HOUR\s+TRAFFIC GB\/DAY\s+TRAFFIC PER DAY\s+PER DAY\s+FOR 7 DAYS\s+SHARE$/);
    expect(lines[1]).toMatch(/^Aigerim\s+aigerim\s+3\s+\$0\.0238\s+30\s+\$0\.00\s+\$0\.57\s+\$4\.00\s+10\.9%$/);
    expect(lines[2]).toMatch(/^Bolat\s+bolat\s+3\s+\$0\.0418\s+60\s+\$3\.65\s+\$4\.66\s+\$32\.59\s+89\.1%$/);
    expect(lines[4]).toMatch(/^TOTAL\s+6\s+\$0\.0656\s+90\s+\$3\.65\s+\$5\.23\s+\$36\.59\s+100\.0%$/);
    expect(stdout).toMatch(/^bolat: WARNING: on AWS, traffic is the main cost/m);
  });

  it("reads the same figures from the stacks' outputs, and overrides traffic with --gb-per-node-day", () => {
    const fromFiles = JSON.parse(cost("--stacks", "aigerim,bolat", "--json").stdout);
    const fromOutputs = cost("--outputs", ...outputs, "--json");
    expect(fromOutputs.code).toBe(0);
    expect(JSON.parse(fromOutputs.stdout)).toEqual(fromFiles);
    // --json keeps stdout to JSON; the AWS warning goes to stderr.
    expect(fromOutputs.stderr).toMatch(/^bolat: WARNING: on AWS/);
    const heavy = JSON.parse(cost("--outputs", ...outputs, "--json", "--gb-per-node-day", "100").stdout);
    // Fleet B's figure for Aigerim's small droplet is not comparable; Bolat's AWS part: 200 - 3.33 GB x 0.09965.
    expect(heavy.volunteers[1].trafficGBPerDay).toBe(300);
    expect(heavy.total.usdPerDay).toBeGreaterThan(fromFiles.total.usdPerDay);
  });

  it("writes CSV with plain numbers", () => {
    const { code, stdout } = cost("--stacks", "aigerim,bolat", "--csv", "--days", "30");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 4)).toEqual([
      "volunteer,stacks,nodes,usd_per_hour,traffic_gb_per_day,traffic_usd_per_day,usd_per_day,usd_for_30_days,share",
      "Aigerim,aigerim,3,0.0238,30.00,0.00,0.57,17.14,0.1093",
      "Bolat,bolat,3,0.0418,60.00,3.65,4.66,139.69,0.8907",
      "TOTAL,,6,0.0656,90.00,3.65,5.23,156.83,1.0000",
    ]);
  });

  it("says what is wrong with bad input, with no stack trace and nothing written", () => {
    const before = readdirSync(work).sort();
    const missing = cost("--stacks", "aigerim,nobody");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("Pulumi.nobody.yaml does not exist");
    const both = cost("--stacks", "aigerim", "--outputs", outputs[0]!);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give either --outputs FILE...");
    const days = cost("--stacks", "aigerim", "--days", "soon");
    expect(days.code).toBe(2);
    expect(days.stderr).toBe('lifeline: --days must be a whole number from 1 to 3650, not "soon"\n');
    const broken = join(work, "broken.json");
    writeFileSync(broken, JSON.stringify({ nodes: [{ name: "do-fra1-0", provider: "digitalocean", region: "fra1", size: "s-9vcpu-huge", address: "198.18.0.1", links: {} }] }));
    const unpriced = cost("--outputs", broken);
    expect(unpriced.code).toBe(1);
    expect(unpriced.stderr).toContain(`${broken}: nodes[0] (do-fra1-0): no DigitalOcean price for s-9vcpu-huge`);
    for (const r of [missing, both, days, unpriced]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(work).sort()).toEqual([...before, "broken.json"].sort());
  });
});
