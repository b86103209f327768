import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { probeTokenPattern } from "../../src/probe/protocol";
import { raisedQuotas, stackFleet, withImagePins } from "./support/fixtures";
import { planOf } from "./support/load";
import { installMocks, settled, valueOf } from "./support/pulumi-mocks";
import { fleetOutputs } from "./support/fleet-outputs";

// One stack with relays on DigitalOcean and a probe on AWS, run as `pulumi up` runs it.
describe("the Pulumi program for a stack with a probe", () => {
  it("creates the probe like any node, with every TCP port open in the cloud firewall, and exports its address and secret token", async () => {
    const fleet = { ...stackFleet("example-do"), probe: { provider: "aws", region: "eu-central-1" }, quotas: raisedQuotas() };
    const recorded = await installMocks("with-probe", withImagePins(fleet));
    const { default: program } = await import("../../infra/index");
    const outputs = fleetOutputs(await program());
    await settled(recorded);

    const probe = recorded.filter((r) => r.name === "aws-eu-central-1-probe" || r.name.startsWith("aws-eu-central-1-probe-"));
    expect(probe.map((r) => r.type).sort()).toEqual(
      ["aws:ec2/eip:Eip", "aws:ec2/eipAssociation:EipAssociation", "aws:ec2/instance:Instance", "aws:ec2/securityGroup:SecurityGroup", "lifeline:aws:Node", "random:index/randomPassword:RandomPassword"].sort(),
    );
    const group = probe.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
    expect(group.inputs.ingress.filter((r: any) => r.protocol === "tcp").map((r: any) => [r.fromPort, r.toPort])).toEqual([[1, 65535]]);
    const instance = probe.find((r) => r.type === "aws:ec2/instance:Instance")!;
    expect(instance.secretInputs).toContain("userDataBase64");

    // Relay nodes are untouched: the same three droplets, each opening only its relay ports.
    const firewalls = recorded.filter((r) => r.type === "digitalocean:index/firewall:Firewall");
    expect(firewalls).toHaveLength(3);
    const relayNode = planOf(fleet).nodes[0]!;
    const relayPorts = [...relayNode.openTcpPorts, ...relayNode.validationTcpPorts].map(String).sort();
    for (const f of firewalls) expect(f.inputs.inboundRules.filter((r: any) => r.protocol === "tcp").map((r: any) => r.portRange).sort()).toEqual(relayPorts);

    expect(Object.keys(outputs).sort()).toEqual(["documents", "nodes", "probe", "probeToken", "summary"]);
    expect(outputs.nodes.map((n: { name: string }) => n.name)).not.toContain("aws-eu-central-1-probe");
    expect(outputs.probe).toMatchObject({ name: "aws-eu-central-1-probe", provider: "aws", region: "eu-central-1" });
    expect(await valueOf(outputs.probe!.address)).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    expect(await pulumi.isSecret(outputs.probe!.address)).toBe(false);
    expect(await pulumi.isSecret(outputs.probeToken!)).toBe(true);
    expect(await valueOf(outputs.probeToken!)).toMatch(probeTokenPattern);
  });

  it("opens 1-65535 on a DigitalOcean probe's firewall; a probe-only stack has no relay nodes", async () => {
    const { volunteer, budgetPerDay, expires } = stackFleet("example-do");
    const recorded = await installMocks("probe-only", { volunteer, budgetPerDay, expires, probe: { provider: "digitalocean", region: "ams3" } });
    const { deployFleet } = await import("../../infra/fleet");
    const { loadPlan } = await import("../../infra/load-plan");
    const fleet = deployFleet(loadPlan("probe-only", "2026-11-25"), "probe-only");
    await settled(recorded);
    const firewall = recorded.find((r) => r.type === "digitalocean:index/firewall:Firewall")!;
    expect(firewall.name).toBe("do-ams3-probe-firewall");
    expect(firewall.inputs.inboundRules.filter((r: any) => r.protocol === "tcp").map((r: any) => r.portRange)).toEqual(["1-65535"]);
    expect(fleet.nodes).toEqual([]);
    expect(fleet.probe?.name).toBe("do-ams3-probe");
  });
});
