import { describe, expect, it } from "vitest";
import { baseFleet, raisedQuotas, withImagePins } from "./support/fixtures";
import { programRefusal } from "./support/program-refusal";
import { installMocks, settled, type MockAccount } from "./support/pulumi-mocks";

const fleet = withImagePins({
  ...baseFleet(),
  budgetPerDay: 100,
  quotas: raisedQuotas(),
  groups: [
    { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 1, size: "s-1vcpu-512mb-10gb" },
    { provider: "digitalocean", regions: ["lon1"], nodesPerRegion: 1 },
    { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.micro" },
  ],
  probe: { provider: "aws", region: "eu-north-1", size: "t3.nano" },
});

describe("checked with the clouds before anything is created", () => {
  it("asks DigitalOcean for each region and the sizes, AWS for each region's offerings, then creates", async () => {
    const calls: string[] = [];
    const recorded = await installMocks("offers", fleet, { calls });
    const { default: program } = await import("../../infra/index");
    await program();
    await settled(recorded);
    const asked = calls.filter((c) => !c.startsWith("register ") && !c.startsWith("aws:ec2/getVpc"));
    expect(asked.sort()).toEqual([
      "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings eu-central-1",
      "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings eu-north-1",
      "digitalocean:index/getRegion:getRegion",
      "digitalocean:index/getRegion:getRegion",
      "digitalocean:index/getRegion:getRegion",
      "digitalocean:index/getSizes:getSizes",
    ]);
    const firstRegistration = calls.findIndex((c) => c.startsWith("register "));
    expect(Math.max(...asked.map((c) => calls.indexOf(c)))).toBeLessThan(firstRegistration);
    expect(recorded.filter((r) => r.type === "digitalocean:index/droplet:Droplet")).toHaveLength(3);
  });

  it("refuses a closed region, a size not sold there or not available, and an instance type not offered, all at once", async () => {
    const account: MockAccount = {
      closedRegions: ["ams3"],
      unsoldSizes: { fra1: ["s-1vcpu-512mb-10gb"] },
      unavailableSizes: ["s-1vcpu-1gb"],
      notOffered: { "eu-north-1": ["t3.nano"] },
    };
    const message = await programRefusal(await installMocks("no-offer", fleet, account));
    expect(message).toBe(
      [
        "stacks/Pulumi.no-offer.yaml: 4 problems with regions and sizes, as the clouds answer now; nothing was created:",
        "  - DigitalOcean size s-1vcpu-1gb is not available to this account now: pick another size (npm run plan lists them)",
        "  - DigitalOcean ams3 takes no new Droplets now (the region says available: false): move its nodes to another region",
        "  - DigitalOcean fra1 does not sell s-1vcpu-512mb-10gb now: pick a size it sells, or another region",
        "  - AWS eu-north-1 does not offer t3.nano: pick another size, or another region",
      ].join("\n"),
    );
  });
});
