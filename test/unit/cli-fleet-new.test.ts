import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { providerCatalogs, providerNames, type ProviderName } from "../../src/catalog";
import { volunteerRequests, type FleetDescription } from "../../src/fleet-new/description";
import { newAccountCapacity, spreadFleet, usableRegions } from "../../src/fleet-new/spread";
import { volunteerFleet } from "../../src/fleet-new/stack-files";
import { loadFleetPlan } from "../../src/plan/plan";
import { quotaNeeds } from "../../src/plan/quotas";
import { inDays } from "./support/plan-cli";
import { repoRoot } from "./support/fixtures";

const work = mkdtempSync(join(tmpdir(), "lifeline-fleet-new-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lifeline(args: string[], input?: string) {
  const result = spawnSync(join(repoRoot, "bin/lifeline.js"), args, { encoding: "utf8", cwd: repoRoot, ...(input !== undefined ? { input } : {}) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const stackFleetOf = (dir: string, name: string) => parse(readFileSync(join(dir, `Pulumi.${name}.yaml`), "utf8")).config["lifeline:fleet"];

/** Per cloud, nodes in each region it can use (0 where none). */
function nodesPerRegion(fleets: Array<{ groups: Array<{ provider: ProviderName; regions: string[] }> }>): Map<ProviderName, number[]> {
  const counts = new Map<ProviderName, number[]>();
  for (const provider of providerNames) {
    const regions = usableRegions(provider);
    const own = fleets.flatMap((f) => f.groups.filter((g) => g.provider === provider).flatMap((g) => g.regions));
    if (own.length > 0) counts.set(provider, regions.map((r) => own.filter((x) => x === r).length));
  }
  return counts;
}

/** Every account limit of the stack, with one more node's worth free for an update's replacement. */
function withinNewAccountWithHeadroom(fleet: { groups: Array<{ provider: ProviderName; regions: string[]; size: string }> }): boolean {
  return quotaNeeds(fleet.groups.map((g) => ({ ...g, nodesPerRegion: 1 })) as never, {}).every((need) => {
    const group = fleet.groups.find((g) => g.provider === need.provider)!;
    const oneNode = need.quota.perNode === "one" ? 1 : providerCatalogs[need.provider].sizes[group.size]!.vcpus;
    return need.needed + oneNode <= need.quota.newAccountDefault;
  });
}

describe("lifeline fleet new", () => {
  it("writes 10 volunteers' stack files, spread over regions and clouds, each within a new account with headroom and valid for plan", () => {
    const dir = join(work, "ten");
    const description = join(work, "ten.yaml");
    const names = ["aigerim", "bolat", "dana", "erlan", "gulnar", "kanat", "madina", "nurlan", "saule", "timur"];
    writeFileSync(
      description,
      [
        `volunteers: [${names.slice(0, 9).join(", ")}, {name: timur, volunteer: "Timur K", provider: aws, nodes: 3}]`,
        "providers: [digitalocean, aws]",
        "nodesEach: 2",
        "budgetPerDay: 6",
        `expires: "${inDays(30)}"`,
        "openPorts: [443, 8443, 2053]",
      ].join("\n"),
    );
    const { code, stdout, stderr } = lifeline(["fleet", "new", description, "--stacks-dir", dir]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(names.map((n) => `Pulumi.${n}.yaml`).sort());
    const fleets = names.map((n) => stackFleetOf(dir, n));
    // Clouds in turn: 5 DigitalOcean accounts, 4 + timur's AWS accounts.
    expect(fleets.filter((f) => f.groups[0].provider === "digitalocean")).toHaveLength(5);
    expect(fleets.at(-1)).toMatchObject({ volunteer: "Timur K", groups: [{ provider: "aws", regions: expect.arrayContaining([]) }] });
    expect(fleets.at(-1).groups[0].regions).toHaveLength(3);
    // Spread: no region of a cloud holds two nodes more than another.
    for (const [provider, counts] of nodesPerRegion(fleets)) expect(Math.max(...counts) - Math.min(...counts), provider).toBeLessThanOrEqual(1);
    for (const fleet of fleets) {
      expect(withinNewAccountWithHeadroom(fleet)).toBe(true);
      expect(new Set(fleet.groups[0].regions).size).toBe(fleet.groups[0].regions.length);
    }
    expect(stdout).toContain("wrote 10 stack files, 21 nodes:");
    expect(stdout).toContain("Timur K (stack timur): AWS");
    for (const n of names) {
      expect(stdout).toContain(`npx pulumi stack init ${n} --secrets-provider=passphrase`);
      expect(stdout).toContain(`npx pulumi up --stack ${n}`);
    }
    expect(stdout).toContain("npx pulumi config set --secret digitalocean:token --stack aigerim");
    // Each stack file passes plan, as the volunteer runs it.
    for (const n of ["aigerim", "bolat", "timur"]) {
      const plan = lifeline(["plan", n, "--stacks-dir", dir]);
      expect(plan.code, n).toBe(0);
      expect(plan.stdout).toContain("account quotas: within a new account's defaults");
    }
  });

  it("refuses what a new account cannot hold, an existing stack file and a bad field, writing nothing", () => {
    const dir = join(work, "refused");
    const description = join(work, "refused.yaml");
    writeFileSync(description, `volunteers: [{name: aigerim, nodes: 3}, bolat]\nbudgetPerDay: 5\nexpires: "${inDays(30)}"\nopenPorts: [443]\n`);
    const tooMany = lifeline(["fleet", "new", description, "--stacks-dir", dir]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toBe(
      "1 problem in the stacks the description asks for, nothing was written:\n" +
        "  - aigerim: 3 DigitalOcean nodes do not fit a new account with room for an update (at most 2); ask for 2, or spread them over more volunteers\n",
    );
    expect(existsSync(dir)).toBe(false);
    writeFileSync(description, `volunteers: [aigerim]\nbudgetPerDay: "5"\nexpires: "${inDays(30)}"\nopenPorts: [443]\n`);
    const bad = lifeline(["fleet", "new", description, "--stacks-dir", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${description}: budgetPerDay: Invalid input: expected number, received string`);
    writeFileSync(description, `volunteers: [aigerim]\nbudgetPerDay: 5\nexpires: "${inDays(30)}"\nopenPorts: [443]\n`);
    expect(lifeline(["fleet", "new", description, "--stacks-dir", dir]).code).toBe(0);
    const before = readFileSync(join(dir, "Pulumi.aigerim.yaml"), "utf8");
    const again = lifeline(["fleet", "new", description, "--stacks-dir", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Pulumi.aigerim.yaml: exists already");
    expect(readFileSync(join(dir, "Pulumi.aigerim.yaml"), "utf8")).toBe(before);
  });

  it("spreads any fleet over regions and clouds within a new account's limits with headroom (property)", () => {
    const volunteer = fc.record({ provider: fc.option(fc.constantFrom(...providerNames), { nil: undefined }), nodes: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(fc.array(volunteer, { minLength: 1, maxLength: 14 }), fc.subarray([...providerNames], { minLength: 1 }), (volunteers, providers) => {
        const description: FleetDescription = {
          volunteers: volunteers.map((v, i) => ({ name: `v${i}`, nodes: v.nodes, ...(v.provider ? { provider: v.provider } : {}) })),
          providers,
          nodesEach: 2,
          budgetPerDay: 10,
          expires: inDays(30),
          openPorts: [443, 8443],
        };
        const requests = volunteerRequests(description);
        const { placed, problems } = spreadFleet(requests);
        expect(problems).toEqual([]);
        const fleets = placed.map((p) => volunteerFleet(p, description) as never as { groups: Array<{ provider: ProviderName; regions: string[]; size: string }> });
        for (const [i, fleet] of fleets.entries()) {
          expect(fleet.groups[0]!.regions).toHaveLength(requests[i]!.nodes);
          expect(new Set(fleet.groups[0]!.regions).size).toBe(requests[i]!.nodes);
          expect(withinNewAccountWithHeadroom(fleet)).toBe(true);
          expect(placed[i]!.regions.length).toBeLessThanOrEqual(newAccountCapacity(placed[i]!.provider).perAccount);
        }
        for (const counts of nodesPerRegion(fleets).values()) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        // Volunteers who named no cloud are dealt the description's clouds in turn.
        const dealt = requests.filter((_, i) => volunteers[i]!.provider === undefined).map((r) => r.provider);
        const perCloud = providers.map((p) => dealt.filter((d) => d === p).length);
        expect(Math.max(...perCloud) - Math.min(...perCloud)).toBeLessThanOrEqual(1);
        // Each stack passes the same checks as plan (quotas of a new account included).
        for (const [i, fleet] of fleets.entries()) loadFleetPlan(fleet, { source: `v${i}`, today: inDays(0) });
      }),
      { numRuns: 40 },
    );
  });
});

describe("lifeline init", () => {
  it("writes one volunteer's stack from flags, checks it and prints the commands to run", () => {
    const dir = join(work, "init");
    const { code, stdout } = lifeline(["init", "aigerim", "--stacks-dir", dir, "--budget", "2", "--expires", inDays(20), "--open-ports", "443,8443"]);
    expect(code).toBe(0);
    const fleet = stackFleetOf(dir, "aigerim");
    expect(fleet).toMatchObject({ volunteer: "aigerim", openPorts: [443, 8443], budgetPerDay: 2, groups: [{ provider: "digitalocean", nodesPerRegion: 1 }] });
    expect(fleet.groups[0].regions).toHaveLength(2);
    expect(stdout).toContain("npx pulumi stack init aigerim --secrets-provider=passphrase");
    expect(stdout).toContain("npx pulumi config set --secret digitalocean:token --stack aigerim");
    expect(stdout).toContain("npx pulumi up --stack aigerim");
    const missing = lifeline(["init", "bolat", "--stacks-dir", dir], "");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("lifeline: give --budget, --expires, --open-ports (or run lifeline init in a terminal to be asked)\n");
    const over = lifeline(["init", "bolat", "--stacks-dir", dir, "--budget", "0.1", "--expires", inDays(20), "--open-ports", "443"]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("Pulumi.bolat.yaml: lifeline:fleet.budgetPerDay: the nodes cost about");
    expect(existsSync(join(dir, "Pulumi.bolat.yaml"))).toBe(false);
  });

  it("asks for what is missing when a terminal is attached", () => {
    const dir = join(work, "asked");
    // `script` gives the command a terminal; the answers are typed into it.
    const command = `${join(repoRoot, "bin/lifeline.js")} init dana --stacks-dir ${dir}`;
    const answers = ["Dana", "aws", "2", "5", inDays(15), "443, 2053", ""].join("\n");
    const result = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", input: answers, cwd: repoRoot, timeout: 30_000 });
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain("Budget in US dollars a day");
    expect(stackFleetOf(dir, "dana")).toMatchObject({ volunteer: "Dana", openPorts: [443, 2053], budgetPerDay: 5, expires: inDays(15), groups: [{ provider: "aws" }] });
    expect(result.stdout).toContain("npx pulumi up --stack dana");
  });
});
