import { describe, expect, it } from "vitest";
import { baseFleet, withImagePins } from "./support/fixtures";
import { programRefusal } from "./support/program-refusal";
import { installMocks, type MockAccount } from "./support/pulumi-mocks";

async function refusal(stack: string, fleet: unknown, account: MockAccount = {}): Promise<string> {
  return programRefusal(await installMocks(stack, withImagePins(fleet as Record<string, any>), account));
}

describe("the Pulumi program with a bad config", () => {
  it("fails with every problem as one plain RunError and creates nothing", async () => {
    const message = await refusal("broken", {
      ...baseFleet(),
      openPorts: [443],
      relays: [{ kind: "mtproto", port: 443 }, { kind: "socks5", port: 1080 }],
      groups: [{ provider: "digitalocean", regions: ["fra9"], nodesPerRegion: 1 }],
    });
    expect(message).toContain("lifeline:fleet.groups[0].regions[0]: \"fra9\" is not a DigitalOcean region");
    expect(message).toContain("e.g. regions: [fra1, ams3]");
  });

  it("refuses a stack over an account limit the same way, naming the limit and where to raise it", async () => {
    const message = await refusal("over-quota", { ...baseFleet(), groups: [{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 }] });
    expect(message).toContain("stacks/Pulumi.over-quota.yaml: 2 problems in the fleet config, nothing was created");
    expect(message).toContain("lifeline:fleet.quotas.digitalocean.reservedIps: this stack needs 4 reserved IPs, but a new DigitalOcean account has 3");
    expect(message).toContain("Networking > Reserved IPs");
  });

  it("refuses a stack whose traffic takes it over the budget, though its VMs alone fit", async () => {
    // Two t4g.nano in eu-central-1: (0.0048 + 0.005 + 8 x 0.0952 / 730) x 2 x 24 = $0.52/day for the VMs;
    // traffic 2 x 10 GB - 100/30 free = 16.67 GB x $0.09 = $1.50/day: $2.02/day, over $1.50.
    const fleet = { ...baseFleet(), budgetPerDay: 1.5, groups: [{ provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 2, size: "t4g.nano" }] };
    const message = await refusal("over-budget", fleet);
    expect(message).toContain(
      "lifeline:fleet.budgetPerDay: the nodes cost about $2.02/day ($0.52 for the VMs and addresses, $1.50 for traffic at 10 GB per node a day), over the budget of $1.5/day",
    );
  });

  it("refuses an AWS account without a default VPC in a region, naming the region and what to do, before registering anything", async () => {
    const calls: string[] = [];
    const groups = [{ provider: "aws", regions: ["eu-central-1", "eu-north-1", "eu-west-1"], nodesPerRegion: 1 }];
    const message = await refusal("no-vpc", { ...baseFleet(), groups }, { noDefaultVpcIn: ["eu-north-1", "eu-west-1"], calls });
    expect(message).toContain("stacks/Pulumi.no-vpc.yaml: 2 AWS regions not ready, nothing was created:");
    expect(message).toContain("  - AWS eu-north-1: this account has no default VPC there");
    expect(message).toContain("aws ec2 create-default-vpc --region eu-north-1");
    expect(message).toContain("  - AWS eu-west-1: this account has no default VPC there");
    expect(message).not.toContain("eu-central-1");
    expect(message).not.toMatch(/\n\s+at /);
    expect(calls.filter((c) => c.startsWith("aws:ec2/getVpc:getVpc")).sort()).toEqual([
      "aws:ec2/getVpc:getVpc eu-central-1",
      "aws:ec2/getVpc:getVpc eu-north-1",
      "aws:ec2/getVpc:getVpc eu-west-1",
    ]);
  });
});
