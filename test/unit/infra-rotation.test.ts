import { describe, expect, it } from "vitest";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { baseFleet, raisedQuotas, today, withImagePins } from "./support/fixtures";
import { installMocks, settled, valueOf, type RecordedResource } from "./support/pulumi-mocks";

interface Run {
  urns: Map<string, string>;
  resources: Map<string, RecordedResource>;
  links: Map<string, { address: string; links: Record<string, Record<string, string>> }>;
}

async function run(rotations: Record<string, number>): Promise<Run> {
  const fleet = {
    ...baseFleet(),
    budgetPerDay: 100,
    quotas: raisedQuotas(),
    groups: [
      { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2 },
      { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 2 },
    ],
    rotations,
  };
  const recorded = await installMocks("rotation", withImagePins(fleet));
  const deployed = deployFleet(loadPlan("rotation", today), "rotation");
  await settled(recorded);
  const urns = new Map<string, string>();
  for (const component of deployed.components) urns.set(...((u: string) => [u.split("::").pop()!, u] as [string, string])(await valueOf(component.urn)));
  const links = new Map<string, { address: string; links: Record<string, Record<string, string>> }>();
  for (const node of deployed.nodes) links.set(node.name, { address: await valueOf(node.address), links: await valueOf(node.links) });
  return { urns, resources: new Map(recorded.map((r) => [`${r.type}::${r.name}`, r])), links };
}

const ofNode = (r: Run, node: string) => [...r.resources.keys()].filter((k) => k.split("::")[1] === node || k.split("::")[1]!.startsWith(`${node}-`));
const without = (a: string[], b: string[]) => a.filter((k) => !b.includes(k)).sort();

describe.each([
  ["do-fra1-1", 1, "digitalocean:index/reservedIp:ReservedIp", "digitalocean:index/droplet:Droplet", "userData"],
  ["aws-eu-central-1-0", 2, "aws:ec2/eip:Eip", "aws:ec2/instance:Instance", "userDataBase64"],
] as const)("rotating %s (generation %i) under mocks", (rotated, generation, addressType, vmType, userDataKey) => {
  it("gives that node a new address resource and new secrets; every other resource keeps its URN and inputs", async () => {
    const before = await run({});
    const after = await run({ [rotated]: generation });
    expect([...after.urns.entries()]).toEqual([...before.urns.entries()]);

    const g = `-g${generation}`;
    const gone = without(ofNode(before, rotated), ofNode(after, rotated));
    const added = without(ofNode(after, rotated), ofNode(before, rotated));
    expect(gone.map((k) => k.split("::")[0])).toEqual(expect.arrayContaining([addressType]));
    expect(gone.every((k) => [addressType, "random:index/randomBytes:RandomBytes", "random:index/randomPassword:RandomPassword"].includes(k.split("::")[0]!))).toBe(true);
    // mtproto's key, socks5's user and password, and the address: each under its new generation.
    expect(gone).toHaveLength(4);
    expect(added).toEqual(gone.map((k) => `${k}${g}`).sort());

    // The node's other resources keep their names; only what carries the address or secrets changes.
    for (const key of ofNode(before, rotated).filter((k) => !gone.includes(k))) {
      const was = before.resources.get(key)!.inputs;
      const now = after.resources.get(key)!.inputs;
      if (key.startsWith(`${vmType}::`)) {
        expect(now[userDataKey]).not.toEqual(was[userDataKey]);
        expect({ ...now, [userDataKey]: undefined }).toEqual({ ...was, [userDataKey]: undefined });
      } else if (/reservedIpAssignment|eipAssociation/.test(key)) {
        expect(now).not.toEqual(was);
      } else expect(now, key).toEqual(was);
    }

    const others = [...before.resources.keys()].filter((k) => !ofNode(before, rotated).includes(k));
    expect(others.length).toBeGreaterThan(20);
    for (const key of others) expect(after.resources.get(key)?.inputs, key).toEqual(before.resources.get(key)!.inputs);

    // Its links change entirely (address and secrets); every other node's are the same.
    const oldLinks = JSON.stringify(before.links.get(rotated));
    const newLinks = JSON.stringify(after.links.get(rotated));
    expect(after.links.get(rotated)!.address).not.toBe(before.links.get(rotated)!.address);
    const socksPassword = (r: Run) => new URL(r.links.get(rotated)!.links["socks5"]!["socks5"]!).password;
    expect(socksPassword(after)).not.toBe(socksPassword(before));
    expect(newLinks).not.toContain(before.links.get(rotated)!.links["mtproto"]!["telegram"]!.match(/secret=ee([0-9a-f]{32})/)![1]);
    expect(newLinks).not.toBe(oldLinks);
    for (const [name, value] of before.links) if (name !== rotated) expect(after.links.get(name)).toEqual(value);
  });
});
