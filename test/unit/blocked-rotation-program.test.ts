import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { runBlocked } from "../../src/cli/blocked-command";
import { encodeReport, nodeTag } from "../../src/inside/report-code";
import { baseFleet, raisedQuotas, today } from "./support/fixtures";
import { installMocks, settled, type RecordedResource } from "./support/pulumi-mocks";

// `blocked --rotate` edits a stack file; the real program under mocks then changes only the
// blocked node's address and secret resources (and what carries them), nothing of the others.
const work = mkdtempSync(join(tmpdir(), "lifeline-blocked-program-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function resources(fleet: unknown): Promise<Map<string, RecordedResource>> {
  const recorded = await installMocks("rotation", fleet);
  deployFleet(loadPlan("rotation", today), "rotation");
  await settled(recorded);
  return new Map(recorded.map((r) => [`${r.type}::${r.name}`, r]));
}

const ofNode = (keys: Iterable<string>, node: string) => [...keys].filter((k) => k.split("::")[1] === node || k.split("::")[1]!.startsWith(`${node}-`));

describe("the program after lifeline blocked --rotate", () => {
  it("changes only the blocked node's address and secrets; the node down outside is untouched", async () => {
    const fleet = { ...baseFleet(), budgetPerDay: 100, quotas: raisedQuotas(), groups: [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 3 }] };
    const path = join(work, "Pulumi.rotation.yaml");
    writeFileSync(path, `# volunteer's notes stay\n${stringify({ config: { "lifeline:fleet": fleet } })}`);
    const addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3"];
    const outside = join(work, "check.json");
    // do-fra1-0 blocked inside; do-fra1-1 fails outside too (down); do-fra1-2 works.
    const links = addresses.map((address, i) => ({ source: "stack rotation", node: `do-fra1-${i}`, address, relay: "mtproto", status: i === 1 ? "failed" : "ok" }));
    writeFileSync(outside, JSON.stringify({ links }));
    const salt = "c0ffee";
    const code = encodeReport({
      salt,
      checkedAt: 1_800_000_000,
      network: "",
      nodes: addresses.map((a, i) => ({ tag: nodeTag(salt, a), relays: [{ kind: "mtproto", status: i === 2 ? "ok" : "no-connection" }] })),
    });
    const said: string[] = [];
    runBlocked({ codes: [code], outside, rotate: true, stacks: "rotation", stacksDir: work, today }, (t) => said.push(t), (t) => said.push(t));
    expect(said.join("\n")).toContain("not rotated: do-fra1-1 fails from outside too: a cloud problem");

    const edited = readFileSync(path, "utf8");
    expect(edited.startsWith("# volunteer's notes stay\n")).toBe(true);
    const rotatedFleet = parse(edited).config["lifeline:fleet"];
    expect(rotatedFleet.rotations).toEqual({ "do-fra1-0": 1 });

    const before = await resources(fleet);
    const after = await resources(rotatedFleet);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => JSON.stringify(before.get(k)?.inputs) !== JSON.stringify(after.get(k)?.inputs));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((k) => !ofNode([k], "do-fra1-0").length)).toEqual([]);
    const types = new Set(changed.map((k) => k.split("::")[0]));
    const allowed = ["digitalocean:index/reservedIp:ReservedIp", "digitalocean:index/reservedIpAssignment:ReservedIpAssignment", "digitalocean:index/droplet:Droplet", "random:index/randomBytes:RandomBytes", "random:index/randomPassword:RandomPassword"];
    expect([...types].filter((t) => !allowed.includes(t!))).toEqual([]);
    expect(types).toContain("digitalocean:index/reservedIp:ReservedIp");
    for (const node of ["do-fra1-1", "do-fra1-2"]) for (const key of ofNode(before.keys(), node)) expect(after.get(key)?.inputs, key).toEqual(before.get(key)!.inputs);
  }, 60_000);
});
