import { beforeAll, describe, expect, it } from "vitest";
import { stackFleet } from "./support/fixtures";
import { deployUnderMocks } from "./support/mocked-deploy";
import type { RecordedResource } from "./support/pulumi-mocks";

// A DigitalOcean firewall applies to every droplet carrying one of its tags, so a tagged
// firewall would open one stack's ports on every lifeline droplet in the account.
describe("a DigitalOcean node's cloud firewall", () => {
  let recorded: RecordedResource[];
  let nodes: string[];

  beforeAll(async () => {
    const deployed = await deployUnderMocks("example-do", stackFleet("example-do"));
    recorded = deployed.recorded;
    nodes = deployed.plan.nodes.map((n) => n.name);
  });

  const ofNode = (type: string, node: string) => recorded.find((r) => r.type === type && (r.name === node || r.name === `${node}-firewall`));

  it("selects no droplets by tag", () => {
    const firewalls = recorded.filter((r) => r.type === "digitalocean:index/firewall:Firewall");
    expect(firewalls).toHaveLength(nodes.length);
    for (const firewall of firewalls) expect(firewall.inputs).not.toHaveProperty("tags");
  });

  it("names exactly its own droplet by id", () => {
    for (const node of nodes) {
      const firewall = ofNode("digitalocean:index/firewall:Firewall", node)!;
      const droplet = ofNode("digitalocean:index/droplet:Droplet", node)!;
      expect(droplet.id).toMatch(/^\d+$/);
      expect(firewall.inputs.dropletIds).toEqual([Number(droplet.id)]);
    }
  });
});
