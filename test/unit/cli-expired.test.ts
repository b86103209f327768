import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runExpired } from "../../src/cli/expired-command";
import { baseFleet, raisedQuotas } from "./support/fixtures";
import { inDays, runCli, writeStack } from "./support/plan-cli";

const work = mkdtempSync(join(tmpdir(), "lifeline-expired-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fleet = (volunteer: string, expires: string, groups: unknown[]) => ({ ...baseFleet(), volunteer, expires, budgetPerDay: 100, quotas: raisedQuotas(), groups });
writeStack(work, "aigerim", fleet("Aigerim", "2026-11-30", [{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 1 }]));
writeStack(work, "bolat", fleet("Bolat", "2026-12-01", [{ provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 2 }]));
writeStack(work, "dana", fleet("Dana", "2027-01-31", [{ provider: "digitalocean", regions: ["lon1"], nodesPerRegion: 1 }]));

function expiredAt(now: string, args: { stacks?: string; outputs?: string[] }): string {
  const lines: string[] = [];
  runExpired({ ...args, stacksDir: work, now }, (text) => lines.push(text));
  return lines.join("\n");
}

describe("lifeline expired", () => {
  it("lists stacks past the end of their expires day (UTC) with their nodes, what still bills, and the exact destroy command", () => {
    expect(expiredAt("2026-11-30T23:59:59Z", { stacks: "aigerim,bolat,dana" })).toBe("none of 3 stacks is past its expiry");
    const text = expiredAt("2026-12-02T00:00:00Z", { stacks: "aigerim,bolat,dana" });
    expect(text).toContain("2 of 3 stacks past expiry:");
    expect(text).toContain("aigerim (Aigerim): expired 2026-12-01T00:00:00Z (end of 2026-11-30, UTC)\n  nodes: do-fra1-0, do-ams3-0\n");
    expect(text).toContain("  still billing: 2 DigitalOcean droplets (relays stopped, but a droplet bills until it is destroyed)\n  end the bill: npx pulumi destroy --refresh --stack aigerim");
    // 2 EIPs x $0.005 x 24 = $0.24/day.
    expect(text).toContain("  still billing: 2 AWS Elastic IPs ($0.24/day; the instances terminated themselves)\n  end the bill: npx pulumi destroy --refresh --stack bolat");
    expect(text).not.toContain("dana");
    // A droplet deleted outside Pulumi crashes the DigitalOcean provider's destroy without a refresh first.
    expect(text).toContain("\n--refresh makes Pulumi read what still exists first: without it, a droplet that vanished outside Pulumi (deleted by hand or by DigitalOcean) crashes the DigitalOcean provider");
  });

  it("reads expiry and the stack name back from outputs", () => {
    const outputs = join(work, "bolat.json");
    const summary = { stack: "bolat", volunteer: "Bolat", expires: "2026-12-01" };
    writeFileSync(outputs, JSON.stringify({ summary, nodes: [{ name: "aws-eu-central-1-0", provider: "aws", region: "eu-central-1", size: "t4g.micro", address: "198.18.0.9", links: {} }] }));
    expect(expiredAt("2026-12-02T00:00:01Z", { outputs: [outputs] })).toContain("end the bill: npx pulumi destroy --refresh --stack bolat");
  });

  it("runs from the command line against the real clock, and refuses bad input plainly", () => {
    writeStack(work, "old", fleet("Old", inDays(-3), [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 }]));
    const r = runCli("expired", "--stacks", "old,dana", "--stacks-dir", work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 of 2 stacks past expiry:");
    expect(r.stdout).toContain("end the bill: npx pulumi destroy --refresh --stack old");
    const bad = runCli("expired", "--stacks", "dana,ghost", "--stacks-dir", work);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("Pulumi.ghost.yaml does not exist");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
