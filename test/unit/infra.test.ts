import * as pulumi from "@pulumi/pulumi";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { relayKind } from "../../src/relays/registry";
import { exampleStacks, stackFleet, today } from "./support/fixtures";
import { installMocks, settled, valueOf, type RecordedResource } from "./support/pulumi-mocks";

const perNodeTypes = {
  digitalocean: [
    "digitalocean:index/droplet:Droplet",
    "digitalocean:index/firewall:Firewall",
    "digitalocean:index/reservedIp:ReservedIp",
    "digitalocean:index/reservedIpAssignment:ReservedIpAssignment",
    "digitalocean:index/sshKey:SshKey",
    "lifeline:digitalocean:Node",
  ],
  aws: [
    "aws:ec2/eip:Eip",
    "aws:ec2/eipAssociation:EipAssociation",
    "aws:ec2/instance:Instance",
    "aws:ec2/securityGroup:SecurityGroup",
    "lifeline:aws:Node",
  ],
} as const;

// The random bytes of a droplet's root lock key (see infra-digitalocean-root.test.ts).
const rootLockTypes = { digitalocean: ["random:index/randomBytes:RandomBytes"], aws: [] } as const;

function resourcesOfNode(recorded: RecordedResource[], node: string): RecordedResource[] {
  return recorded.filter((r) => r.name === node || r.name.startsWith(`${node}-`));
}

function userDataText(resource: RecordedResource): string {
  if (resource.inputs.userDataBase64) return gunzipSync(Buffer.from(resource.inputs.userDataBase64, "base64")).toString("utf8");
  return resource.inputs.userData;
}

describe.each(exampleStacks)("the Pulumi program for stacks/Pulumi.%s.yaml", (stack) => {
  let recorded: RecordedResource[];
  let fleet: ReturnType<typeof deployFleet>;
  let plan: ReturnType<typeof loadPlan>;

  beforeAll(async () => {
    recorded = await installMocks(stack, stackFleet(stack));
    plan = loadPlan(stack, today);
    fleet = deployFleet(plan, stack);
    await settled(recorded);
  });

  it("creates exactly the planned nodes, each with its provider's resources", () => {
    expect(plan.nodes.length).toBeGreaterThan(1);
    for (const node of plan.nodes) {
      const types = resourcesOfNode(recorded, node.name).map((r) => r.type).sort();
      const expected = [...perNodeTypes[node.provider], ...rootLockTypes[node.provider]];
      const randomTypes = { hex: "random:index/randomBytes:RandomBytes", alphanumeric: "random:index/randomPassword:RandomPassword", lowercase: "random:index/randomPassword:RandomPassword", uuid: "random:index/randomUuid:RandomUuid" };
      const secrets = node.relays.flatMap((r) => relayKind(r.kind).secrets.map((spec) => randomTypes[spec.form]));
      expect(types).toEqual([...expected, ...secrets].sort());
    }
    const vmTypes = new Set(Object.values(perNodeTypes).flat());
    expect(recorded.filter((r) => vmTypes.has(r.type as never)).length).toBe(plan.nodes.reduce((n, node) => n + perNodeTypes[node.provider].length, 0));
  });

  it("opens exactly the relay ports, and the certificate validation port, in the cloud firewall or security group", () => {
    for (const node of plan.nodes) {
      const relayPorts = [...node.relays.map((r) => r.port), ...node.validationTcpPorts].sort((a, b) => a - b);
      // The CA validates the https relay's certificate on 80 from outside the blackout.
      expect(node.validationTcpPorts).toEqual(node.relays.some((r) => r.kind === "https") ? [80] : []);
      const own = resourcesOfNode(recorded, node.name);
      if (node.provider === "digitalocean") {
        const firewall = own.find((r) => r.type === "digitalocean:index/firewall:Firewall");
        const tcp = firewall!.inputs.inboundRules.filter((r: any) => r.protocol === "tcp").map((r: any) => Number(r.portRange));
        expect(tcp.sort((a: number, b: number) => a - b)).toEqual(relayPorts);
      } else {
        const group = own.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
        const tcp = group!.inputs.ingress.filter((r: any) => r.protocol === "tcp");
        expect(tcp.every((r: any) => r.fromPort === r.toPort)).toBe(true);
        expect(tcp.map((r: any) => r.fromPort).sort((a: number, b: number) => a - b)).toEqual(relayPorts);
      }
    }
  });

  it("hands the node firewall the same ports inside the user data", () => {
    for (const node of plan.nodes) {
      const vm = resourcesOfNode(recorded, node.name).find((r) => r.name === node.name && r.type !== `lifeline:${node.provider}:Node`);
      const nft = parse(userDataText(vm!)).write_files.find((f: any) => f.path === "/etc/nftables.conf").content;
      expect(nft).toContain(`tcp dport { ${node.relays.map((r) => r.port).sort((a, b) => a - b).join(", ")} } accept`);
    }
  });

  it("makes links secret, with the node's fixed address in them", async () => {
    for (const out of fleet.nodes) {
      expect(await pulumi.isSecret(out.links)).toBe(true);
      const links = await valueOf(out.links);
      const address = await valueOf(out.address);
      expect(links["mtproto"]!["telegram"]).toMatch(new RegExp(`^tg://proxy\\?server=${address.replace(/\./g, "\\.")}&port=443&secret=ee[0-9a-f]{32}`));
      expect(links["socks5"]!["telegram"]).toMatch(/^tg:\/\/socks\?server=.*&user=[a-z0-9]{10}&pass=[A-Za-z0-9]{24}$/);
    }
  });

  it("exports stack-wide documents as a secret: SIP008 lists every shadowsocks node", async () => {
    expect(await pulumi.isSecret(fleet.documents)).toBe(true);
    const documents = await valueOf(fleet.documents);
    const withShadowsocks = plan.nodes.filter((n) => n.relays.some((r) => r.kind === "shadowsocks"));
    if (withShadowsocks.length === 0) {
      expect(documents).toEqual({});
      return;
    }
    const sip008 = JSON.parse(documents["shadowsocksSip008"]!);
    expect(sip008.version).toBe(1);
    expect(sip008.servers.map((s: any) => s.remarks)).toEqual(withShadowsocks.map((n) => n.label));
    const addresses = await Promise.all(fleet.nodes.filter((n) => withShadowsocks.some((w) => w.name === n.name)).map((n) => valueOf(n.address)));
    expect(sip008.servers.map((s: any) => s.server)).toEqual(addresses);
  });

  it("passes user data, which holds relay credentials, as a secret", () => {
    const vms = recorded.filter((r) => r.type === "digitalocean:index/droplet:Droplet" || r.type === "aws:ec2/instance:Instance");
    expect(vms).toHaveLength(plan.nodes.length);
    for (const vm of vms) expect(vm.secretInputs.some((k) => k.startsWith("userData"))).toBe(true);
  });

  it("tags every taggable resource with project, stack, volunteer and expiry", () => {
    const tagged = recorded.filter((r) => r.inputs.tags !== undefined);
    // Every VM is labelled (a DigitalOcean firewall is not: there, tags select droplets).
    expect(tagged.filter((r) => r.type === "digitalocean:index/droplet:Droplet" || r.type === "aws:ec2/instance:Instance")).toHaveLength(plan.nodes.length);
    for (const r of tagged) {
      const tags = r.inputs.tags;
      if (Array.isArray(tags)) {
        expect(tags).toEqual(expect.arrayContaining(["project:lifeline", `stack:${stack}`, `expires:${plan.expires}`]));
        expect(tags.some((t: string) => t.startsWith("volunteer:"))).toBe(true);
      } else {
        expect(tags).toMatchObject({ Project: "lifeline", Stack: stack, Volunteer: plan.volunteer, Expires: plan.expires });
      }
    }
  });

  it("summarises nodes per provider and region and the cost per day", () => {
    const total = Object.values(fleet.summary.byProvider).flatMap((regions) => Object.values(regions)).reduce((a, b) => a + b, 0);
    expect(total).toBe(plan.nodes.length);
    const fixedPerDay = plan.nodes.reduce((s, n) => s + n.usdPerHour, 0) * 24;
    expect(fleet.summary.costPerDayUsd).toBeCloseTo(fixedPerDay + fleet.summary.trafficCostPerDayUsd, 1);
    expect(fleet.summary).toMatchObject({ stack, volunteer: plan.volunteer, expires: plan.expires, trafficGbPerNodeDay: 10 });
  });
});

describe("AWS instance settings", () => {
  it("requires IMDSv2, terminates on shutdown, uses standard credits and the SSM Debian AMI for its arch", async () => {
    const recorded = await installMocks("example-aws", stackFleet("example-aws"));
    const plan = loadPlan("example-aws", today);
    const fleet = deployFleet(plan, "example-aws");
    await settled(recorded);
    const instances = recorded.filter((r) => r.type === "aws:ec2/instance:Instance");
    expect(instances).toHaveLength(plan.nodes.length);
    for (const instance of instances) {
      const node = plan.nodes.find((n) => n.name === instance.name)!;
      expect(instance.inputs.region).toBe(node.region);
      expect(instance.inputs.metadataOptions.httpTokens).toBe("required");
      expect(instance.inputs.instanceInitiatedShutdownBehavior).toBe("terminate");
      expect(instance.inputs.creditSpecification.cpuCredits).toBe("standard");
      expect(instance.inputs.userDataReplaceOnChange).toBe(true);
      expect(instance.inputs.userData).toBeUndefined();
      expect(instance.secretInputs).toContain("userDataBase64");
      expect(Buffer.from(instance.inputs.userDataBase64, "base64").length).toBeLessThanOrEqual(16 * 1024);
      expect(instance.inputs.ami).toMatch(/^ami-/);
    }
    const arm = plan.nodes.filter((n) => n.size.startsWith("t4g"));
    expect(arm.length).toBeGreaterThan(0);
    expect(arm.every((n) => n.arch === "arm64")).toBe(true);
  });
});
