import { describe, expect, it } from "vitest";
import { fleetCosts } from "../../src/cost/fleet-costs";
import { priceAgeWarning } from "../../src/cost/price-age";
import { awsTrafficWarning, stackCost } from "../../src/cost/stack-cost";
import { nodeRates } from "../../src/cost/node-rates";
import { providerCatalogs } from "../../src/catalog";

// Figures below are worked by hand from src/catalog/prices.ts (checked 2026-11-25):
//   DigitalOcean: s-1vcpu-1gb $6/month, s-1vcpu-512mb-10gb $4/month, both over 672 hours;
//     pool 1000 / 500 GiB a month per droplet; $0.01 per GiB over; 1 GiB = 1.073741824 GB.
//   AWS: eu-central-1 t4g.nano $0.0048/h (micro = 2x), gp3 $0.0952/GB-month;
//     ap-south-1 t3.nano $0.0056/h, gp3 $0.0912; public IPv4 $0.005/h; 8 GB disk over 730 h;
//     egress $0.09/GB (eu-central-1), $0.1093/GB (ap-south-1); 100 GB a month free per account.
//   Allowances are spread over 30 days.

const doNode = (region: string, size: string) => ({ provider: "digitalocean" as const, region, size });
const awsNode = (region: string, size: string) => ({ provider: "aws" as const, region, size });

describe("the cost model, against hand-computed fleets", () => {
  it("fleet A: three DigitalOcean droplets whose traffic stays inside the pooled allowance", () => {
    const cost = stackCost([doNode("fra1", "s-1vcpu-1gb"), doNode("fra1", "s-1vcpu-1gb"), doNode("ams3", "s-1vcpu-512mb-10gb")], 10);
    // VMs: (6 + 6 + 4) / 672 = 0.0238095 $/h -> x24 = 0.5714286 $/day.
    expect(cost.fixedUsdPerHour).toBeCloseTo(0.0238095, 6);
    // Pool: 2500 GiB/month = 2684.35 GB / 30 = 89.48 GB/day; sent: 3 x 10 = 30 GB/day: nothing billed.
    expect(cost.traffic[0]!.allowanceGBPerDay).toBeCloseTo(89.4785, 3);
    expect(cost.trafficUsdPerDay).toBe(0);
    expect(cost.usdPerDay).toBeCloseTo(0.5714286, 6);
    expect(awsTrafficWarning(cost)).toBeUndefined();
  });

  it("fleet B: one small droplet sending 100 GB a day pays overage beyond its pool", () => {
    const cost = stackCost([doNode("fra1", "s-1vcpu-512mb-10gb")], 100);
    // VM: 4 / 672 x 24 = 0.1428571 $/day.
    // Sent 100 GB = 93.1323 GiB/day; pool 500 GiB / 30 = 16.6667 GiB/day; over 76.465591 GiB x $0.01 = 0.76465591 $/day.
    expect(cost.trafficUsdPerDay).toBeCloseTo(0.7646559, 6);
    // Total 0.1428571 + 0.7646559 = 0.9075130 $/day.
    expect(cost.usdPerDay).toBeCloseTo(0.907513, 6);
  });

  it("fleet C: DigitalOcean and two AWS regions, where AWS traffic is most of the bill", () => {
    const cost = stackCost([doNode("lon1", "s-1vcpu-1gb"), awsNode("eu-central-1", "t4g.micro"), awsNode("ap-south-1", "t3.micro")], 20);
    // DO: 6/672 = 0.00892857 $/h. AWS eu-central-1: 0.0096 + 0.005 + 8 x 0.0952/730 (0.00104329) = 0.01564329.
    // AWS ap-south-1: 0.0112 + 0.005 + 8 x 0.0912/730 (0.00099945) = 0.01719945. Sum 0.04177131 $/h = 1.0025115 $/day.
    expect(cost.fixedUsdPerHour).toBeCloseTo(0.04177131, 7);
    // DO: 20 GB within its 35.79 GB/day pool: $0. AWS: 40 GB/day - 100/30 free = 36.6667 GB
    //   x mean(0.09, 0.1093) = 0.09965 -> 3.6538333 $/day.
    expect(cost.traffic.map((t) => [t.provider, Number(t.usdPerDay.toFixed(6))])).toEqual([["digitalocean", 0], ["aws", 3.653833]]);
    // Total 1.0025115 + 3.6538333 = 4.6563448 $/day; 7 days: 32.594414.
    expect(cost.usdPerDay).toBeCloseTo(4.6563448, 6);
    const warning = awsTrafficWarning(cost)!;
    expect(warning).toMatch(/^WARNING: on AWS, traffic is the main cost, not the VMs\./);
    expect(warning).toContain("$3.65/day of this stack's $4.66/day");
  });

  it("prices every region and size the catalog offers", () => {
    for (const catalog of Object.values(providerCatalogs)) {
      for (const region of catalog.regions) {
        for (const size of Object.keys(catalog.sizes)) expect(nodeRates(catalog.name, region, size).fixedUsdPerHour).toBeGreaterThan(0);
      }
    }
  });

  it("adds up volunteers, the fleet's total and shares for N days", () => {
    const report = fleetCosts(
      [
        { source: "a.json", stack: "aigerim", volunteer: "Aigerim", trafficGbPerNodeDay: 10, nodes: [{ name: "do-fra1-0", ...doNode("fra1", "s-1vcpu-1gb") }, { name: "do-fra1-1", ...doNode("fra1", "s-1vcpu-1gb") }, { name: "do-ams3-0", ...doNode("ams3", "s-1vcpu-512mb-10gb") }] },
        { source: "b.json", stack: "bolat", volunteer: "Bolat", trafficGbPerNodeDay: 100, nodes: [{ name: "do-fra1-0", ...doNode("fra1", "s-1vcpu-512mb-10gb") }] },
        { source: "c.json", stack: "bolat-2", volunteer: "Bolat", trafficGbPerNodeDay: 20, nodes: [{ name: "do-lon1-0", ...doNode("lon1", "s-1vcpu-1gb") }, { name: "aws-eu-central-1-0", ...awsNode("eu-central-1", "t4g.micro") }, { name: "aws-ap-south-1-0", ...awsNode("ap-south-1", "t3.micro") }] },
      ],
      { days: 7, defaultGbPerNodeDay: 10 },
    );
    // Aigerim = fleet A (0.5714286/day); Bolat = fleet B + fleet C (0.9075130 + 4.6563448 = 5.5638578/day).
    const [aigerim, bolat] = report.volunteers;
    expect(aigerim!.usdPerDay).toBeCloseTo(0.5714286, 6);
    expect(bolat!.stacks).toEqual(["bolat", "bolat-2"]);
    expect(bolat!.usdPerDay).toBeCloseTo(5.5638578, 6);
    // Fleet 0.5714286 + 5.5638578 = 6.1352864/day; shares 0.093139 and 0.906861; 7 days 42.947005.
    expect(report.total.usdPerDay).toBeCloseTo(6.1352864, 6);
    expect(aigerim!.share).toBeCloseTo(0.093139, 5);
    expect(bolat!.share).toBeCloseTo(0.906861, 5);
    expect(report.total.usdForDays).toBeCloseTo(42.947005, 5);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^bolat-2: WARNING: on AWS/);
  });
});

describe("the age of the price table", () => {
  it("warns only when the table is more than 90 days old on the given day", () => {
    expect(priceAgeWarning("2027-02-23", "2026-11-25")).toBeUndefined();
    expect(priceAgeWarning("2027-02-24", "2026-11-25")).toMatch(/checked on 2026-11-25, 91 days ago \(more than 90\)/);
  });
});
