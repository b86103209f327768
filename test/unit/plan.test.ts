import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { providerCatalogs } from "../../src/catalog";
import { expandNodes } from "../../src/plan/expand";
import { daysBetween } from "../../src/plan/cost";
import { parseFleetConfig } from "../../src/config/parse";
import { baseFleet, raisedQuotas } from "./support/fixtures";
import { planOf } from "./support/load";

const doRegions = providerCatalogs.digitalocean.regions;
const awsRegions = providerCatalogs.aws.regions;

/** A fleet whose groups are drawn at random: each (provider, region) gets a count 0..4. */
const countsArbitrary = fc.record({
  digitalocean: fc.dictionary(fc.constantFrom(...doRegions), fc.integer({ min: 0, max: 4 }), { maxKeys: 5 }),
  aws: fc.dictionary(fc.constantFrom(...awsRegions), fc.integer({ min: 0, max: 4 }), { maxKeys: 5 }),
});

type Counts = { digitalocean: Record<string, number>; aws: Record<string, number> };

function fleetOf(counts: Counts): Record<string, any> {
  const groups = (["digitalocean", "aws"] as const).flatMap((provider) =>
    Object.entries(counts[provider]).map(([region, n]) => ({ provider, regions: [region], nodesPerRegion: n })),
  );
  return { ...baseFleet(), budgetPerDay: 10_000, quotas: raisedQuotas(), groups: groups.length ? groups : baseFleet().groups };
}

function names(counts: Counts): Set<string> {
  return new Set(planOf(fleetOf(counts)).nodes.map((n) => n.name));
}

describe("planner", () => {
  it("names nodes <provider>-<region>-<index>", () => {
    const fleet = baseFleet();
    fleet.groups = [
      { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2 },
      { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 2 },
    ];
    expect(planOf(fleet).nodes.map((n) => n.name)).toEqual(["do-fra1-0", "do-fra1-1", "aws-eu-central-1-0", "aws-eu-central-1-1"]);
  });

  it("keeps every surviving node's name and settings under any change of counts and regions", () => {
    fc.assert(
      fc.property(countsArbitrary, countsArbitrary, (before, after) => {
        const planBefore = new Map(planOf(fleetOf(before)).nodes.map((n) => [n.name, n]));
        const planAfter = planOf(fleetOf(after)).nodes;
        for (const node of planAfter) {
          const old = planBefore.get(node.name);
          if (old) expect(node).toEqual(old);
        }
        // Exactly the nodes whose (region, index) still exists survive.
        const expected = [...planBefore.keys()].filter((name) => names(after).has(name));
        expect(planAfter.filter((n) => planBefore.has(n.name)).map((n) => n.name).sort()).toEqual(expected.sort());
      }),
      { numRuns: 200 },
    );
  });

  it("lowering a count removes the highest indices only", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }), (from, to) => {
        const before = names({ digitalocean: { fra1: from }, aws: {} });
        const after = names({ digitalocean: { fra1: to }, aws: {} });
        const removed = [...before].filter((n) => !after.has(n));
        const added = [...after].filter((n) => !before.has(n));
        expect(removed.length).toBe(Math.max(0, from - to));
        expect(added.length).toBe(Math.max(0, to - from));
        for (const n of removed) expect(Number(n.split("-").pop())).toBeGreaterThanOrEqual(to);
      }),
    );
  });

  it("gives t4g nodes arm64 and DigitalOcean nodes amd64", () => {
    const fleet = baseFleet();
    fleet.groups = [
      { provider: "aws", regions: ["eu-north-1"], nodesPerRegion: 1, size: "t4g.nano" },
      { provider: "aws", regions: ["eu-west-1"], nodesPerRegion: 1, size: "t3.micro" },
      { provider: "digitalocean", regions: ["lon1"], nodesPerRegion: 1 },
    ];
    expect(planOf(fleet).nodes.map((n) => [n.name, n.arch])).toEqual([
      ["aws-eu-north-1-0", "arm64"],
      ["aws-eu-west-1-0", "amd64"],
      ["do-lon1-0", "amd64"],
    ]);
  });

  it("opens the relay ports, and 22 only when SSH is on", () => {
    const fleet = baseFleet();
    expect(planOf(fleet).nodes[0]!.openTcpPorts).toEqual([443, 8443]);
    fleet.ssh = { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"] };
    expect(planOf(fleet).nodes[0]!.openTcpPorts).toEqual([22, 443, 8443]);
  });

  it("puts the cost model's figures, traffic included, into the plan: per hour, day and through the expiry day", () => {
    const fleet = baseFleet();
    fleet.groups = [
      { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2, size: "s-1vcpu-1gb" },
      { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.nano" },
    ];
    fleet.expires = "2026-12-05";
    fleet.trafficGbPerNodeDay = 20;
    const { cost, nodes } = planOf(fleet);
    // DO 2 x 6/672; AWS 0.0048 + 0.005 + 8 x 0.0952/730: 0.0178571 + 0.0108433 = 0.0287004 $/h.
    expect(nodes.map((n) => Number(n.usdPerHour.toFixed(7)))).toEqual([0.0089286, 0.0089286, 0.0108433]);
    expect(cost.usdPerHour).toBe(0.0287);
    // Traffic: DO 40 GB inside its pool; AWS 20 - 3.33 free = 16.67 GB x 0.09 = $1.50/day.
    expect(cost.trafficUsdPerDay).toBe(1.5);
    // 0.0287004 x 24 + 1.5 = 2.1888 -> $2.19/day; 11 days (today through 2026-12-05) = $24.08.
    expect(cost.usdPerDay).toBe(2.19);
    expect(cost.daysToExpiry).toBe(11);
    expect(cost.usdToExpiry).toBe(24.08);
    expect(cost.notes.join(" ")).toMatch(/Traffic is the main cost on AWS/);
    expect(cost.warnings).toHaveLength(1);
  });

  it("counts days to expiry across month ends", () => {
    expect(daysBetween("2026-11-25", "2027-01-31")).toBe(67);
    expect(daysBetween("2026-11-25", "2026-11-01")).toBe(0);
  });

  it("expands no nodes for a region with count 0", () => {
    const fleet = baseFleet();
    fleet.groups[0].nodesPerRegion = 0;
    expect(expandNodes(parseFleetConfig(fleet, "test"))).toEqual([]);
  });
});
