import { describe, expect, it } from "vitest";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { baseFleet, raisedQuotas, today } from "./support/fixtures";
import { installMocks, settled, valueOf, type RecordedResource } from "./support/pulumi-mocks";

interface Run {
  urns: Map<string, string>;
  resources: Map<string, RecordedResource>;
}

async function run(fleet: unknown): Promise<Run> {
  const recorded = await installMocks("stability", fleet);
  const deployed = deployFleet(loadPlan("stability", today), "stability");
  await settled(recorded);
  const urns = new Map<string, string>();
  for (const component of deployed.components) {
    const urn = await valueOf(component.urn);
    urns.set(urn.split("::").pop()!, urn);
  }
  return { urns, resources: new Map(recorded.map((r) => [`${r.type}::${r.name}`, r])) };
}

function fleetWith(groups: unknown[]): Record<string, any> {
  return { ...baseFleet(), budgetPerDay: 100, quotas: raisedQuotas(), groups };
}

describe("changing counts and regions", () => {
  it("adds or removes only the nodes concerned; every other node keeps its URN and inputs", async () => {
    const before = await run(
      fleetWith([
        { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 },
        { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1 },
      ]),
    );
    const after = await run(
      fleetWith([
        { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 3 },
        { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 2 },
      ]),
    );
    expect([...before.urns.keys()].sort()).toEqual(["aws-eu-central-1-0", "do-ams3-0", "do-ams3-1", "do-fra1-0", "do-fra1-1"]);
    expect([...after.urns.keys()].sort()).toEqual(["aws-eu-central-1-0", "aws-eu-central-1-1", "do-fra1-0", "do-fra1-1", "do-fra1-2"]);

    const kept = ["aws-eu-central-1-0", "do-fra1-0", "do-fra1-1"];
    for (const node of kept) expect(after.urns.get(node)).toBe(before.urns.get(node));

    const ofKept = (r: Run) =>
      [...r.resources.entries()].filter(([, res]) => kept.some((n) => res.name === n || res.name.startsWith(`${n}-`)));
    const keptBefore = ofKept(before);
    // 8 each, and a DigitalOcean node's root lock key and its random bytes.
    expect(keptBefore.length).toBe(kept.length * 8 + 2 * 2);
    for (const [key, resource] of keptBefore) {
      expect(after.resources.get(key)?.inputs, key).toEqual(resource.inputs);
    }
  });
});
