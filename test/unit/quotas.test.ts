import { describe, expect, it } from "vitest";
import { providerCatalogs, providerNames } from "../../src/catalog";
import { formatIssues } from "../../src/config/issues";
import { describeAccountNeeds } from "../../src/plan/quotas";
import { baseFleet } from "./support/fixtures";
import { issuesOf, planOf } from "./support/load";

type Fleet = Record<string, any>;

function fleet(groups: unknown[], quotas?: unknown): Fleet {
  return { ...baseFleet(), budgetPerDay: 1000, groups, ...(quotas !== undefined ? { quotas } : {}) };
}

const doNodes = (n: number) => ({ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: n });
const awsNodes = (region: string, n: number, size = "t3a.nano") => ({ provider: "aws", regions: [region], nodesPerRegion: n, size });

function issueAt(f: Fleet, path: string) {
  const issues = issuesOf(f);
  const found = issues.find((i) => i.path === path);
  if (!found) throw new Error(`no issue at ${path}; got ${JSON.stringify(issues)}`);
  return found;
}

describe("DigitalOcean account limits", () => {
  it("accepts three nodes on a new account: 3 reserved IPs, 3 Droplets", () => {
    expect(planOf(fleet([doNodes(3)])).nodes).toHaveLength(3);
  });

  it("refuses a 4th reserved IP on a new account, saying where to ask for more and what to declare", () => {
    const issue = issueAt(fleet([doNodes(4)]), "quotas.digitalocean.reservedIps");
    expect(issue.message).toMatch(/needs 4 reserved IPs, but a new DigitalOcean account has 3/);
    expect(issue.message).toContain("Networking > Reserved IPs");
    expect(issue.message).toContain("set quotas.digitalocean.reservedIps to the new limit");
    expect(issue.example).toMatch(/^reservedIps: 10/);
  });

  it("refuses a 4th Droplet on a new account, pointing at the Droplet limit page", () => {
    const issue = issueAt(fleet([doNodes(4)], { digitalocean: { reservedIps: 10 } }), "quotas.digitalocean.droplets");
    expect(issue.message).toMatch(/needs 4 Droplets, but a new DigitalOcean account has 3/);
    expect(issue.message).toContain("droplet_limit_increase");
  });

  it("counts the whole account, every region together", () => {
    const issues = issuesOf(fleet([{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 }]));
    expect(issues.map((i) => i.path)).toEqual(["quotas.digitalocean.reservedIps", "quotas.digitalocean.droplets"]);
  });

  it("accepts more once the raised limits are declared, and refuses beyond them", () => {
    expect(planOf(fleet([doNodes(8)], { digitalocean: { reservedIps: 10, droplets: 10 } })).nodes).toHaveLength(8);
    const issue = issueAt(fleet([doNodes(12)], { digitalocean: { reservedIps: 10, droplets: 25 } }), "quotas.digitalocean.reservedIps");
    expect(issue.message).toMatch(/needs 12 reserved IPs, but quotas.digitalocean.reservedIps declares 10/);
  });
});

describe("AWS account limits", () => {
  const manyVcpus = { aws: { vcpusPerRegion: 100 } };

  it("allows 5 Elastic IPs in each region, counted per region", () => {
    expect(planOf(fleet([awsNodes("eu-central-1", 5), awsNodes("eu-north-1", 5)], manyVcpus)).nodes).toHaveLength(10);
    const issue = issueAt(fleet([awsNodes("eu-central-1", 6)], manyVcpus), "quotas.aws.elasticIpsPerRegion");
    expect(issue.message).toMatch(/needs 6 Elastic IPs in eu-central-1, but a new AWS account has 5/);
    expect(issue.message).toContain('Service Quotas > Amazon EC2 > "EC2-VPC Elastic IPs"');
  });

  it("takes a raised limit for every region, or for named regions only", () => {
    expect(planOf(fleet([awsNodes("eu-central-1", 8)], { aws: { vcpusPerRegion: 100, elasticIpsPerRegion: 10 } })).nodes).toHaveLength(8);
    const perRegion = { aws: { vcpusPerRegion: 100, elasticIpsPerRegion: { "eu-central-1": 10 } } };
    expect(planOf(fleet([awsNodes("eu-central-1", 8)], perRegion)).nodes).toHaveLength(8);
    const issue = issueAt(fleet([awsNodes("eu-central-1", 8), awsNodes("eu-north-1", 6)], perRegion), "quotas.aws.elasticIpsPerRegion");
    expect(issue.message).toMatch(/needs 6 Elastic IPs in eu-north-1, but a new AWS account has 5/);
  });

  it("counts vCPUs per region against a new account's 5: two 2-vCPU nodes fit, three do not", () => {
    expect(planOf(fleet([awsNodes("eu-central-1", 2, "t4g.micro")])).nodes).toHaveLength(2);
    const issue = issueAt(fleet([awsNodes("eu-central-1", 3, "t4g.micro")]), "quotas.aws.vcpusPerRegion");
    expect(issue.message).toMatch(/needs 6 vCPUs of on-demand T instances in eu-central-1, but a new AWS account has 5/);
    expect(issue.message).toContain("L-1216C47A");
  });

  it.each(providerCatalogs.aws.optIn!.regions.map((r) => [r]))("flags opt-in region %s with how to enable it", (region) => {
    const issue = issueAt(fleet([awsNodes(region, 1)]), "groups[0].regions[0]");
    expect(issue.message).toMatch(new RegExp(`^${region} is an opt-in AWS region, off in a new account`));
    expect(issue.message).toContain(`AWS Regions > Enable`);
    expect(issue.message).toContain(`enable-region --region-name ${region}`);
    expect(issue.example).toBe(`quotas: { aws: { optInRegions: [${region}] } }`);
    expect(planOf(fleet([awsNodes(region, 1)], { aws: { optInRegions: [region] } })).optInRegions).toEqual([{ provider: "aws", region, declared: true }]);
  });

  it("does not flag regions that every account has", () => {
    expect(issuesOf(fleet([awsNodes("me-central-1", 1), awsNodes("eu-central-1", 1)])).map((i) => i.path)).toEqual(["groups[0].regions[0]"]);
  });
});

describe("the quotas key", () => {
  it.each([
    ["a region that is not opt-in", { aws: { optInRegions: ["eu-central-1"] } }, "quotas.aws.optInRegions[0]", /only opt-in regions need listing/],
    ["a limit that is not a whole number", { digitalocean: { reservedIps: 2.5 } }, "quotas.digitalocean.reservedIps", /whole number/],
    ["a limit below 1", { digitalocean: { droplets: 0 } }, "quotas.digitalocean.droplets", /at least 1/],
    ["a region of another provider", { aws: { elasticIpsPerRegion: { fra1: 10 } } }, "quotas.aws.elasticIpsPerRegion.fra1", /not among AWS.s regions/],
    ["an unknown quota", { digitalocean: { volumes: 10 } }, "quotas.digitalocean", /unknown key "volumes"/],
    ["an unknown provider", { hetzner: {} }, "quotas", /unknown key "hetzner"/],
  ])("refuses %s with its path and an example", (_what, quotas, path, message) => {
    const issue = issueAt(fleet([doNodes(1)], quotas), path);
    expect(issue.message).toMatch(message);
    expect(issue.example).toMatch(/\w+: /);
  });

  it("accepts every limit the catalogs define", () => {
    for (const provider of providerNames) {
      const limits = Object.fromEntries(providerCatalogs[provider].quotas.map((q) => [q.key, 50]));
      expect(() => planOf(fleet([doNodes(1)], { [provider]: limits }))).not.toThrow();
    }
  });

  it("reports quota problems together with every other problem, before anything is planned", () => {
    const f = fleet([doNodes(4), awsNodes("il-central-1", 1)]);
    f.budgetPerDay = -1;
    const paths = issuesOf(f).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["budgetPerDay", "quotas.digitalocean.reservedIps", "quotas.digitalocean.droplets", "groups[1].regions[0]"]));
    expect(formatIssues("stacks/Pulumi.x.yaml", issuesOf(f))).toContain("nothing was created");
  });
});

describe("what the plan says about account limits", () => {
  it("says when a stack stays within a new account's defaults", () => {
    const plan = planOf(fleet([doNodes(3), awsNodes("eu-central-1", 2, "t4g.micro")]));
    expect(describeAccountNeeds(plan.quotaNeeds, plan.optInRegions)).toEqual(["account quotas: within a new account's defaults"]);
  });

  it("lists each limit beyond a new account's and each opt-in region, with the declaration it relies on", () => {
    const plan = planOf(
      fleet([doNodes(5), awsNodes("me-central-1", 3, "t4g.micro")], {
        digitalocean: { reservedIps: 10, droplets: 10 },
        aws: { vcpusPerRegion: 32, optInRegions: ["me-central-1"] },
      }),
    );
    expect(describeAccountNeeds(plan.quotaNeeds, plan.optInRegions)).toEqual([
      "account quotas beyond a new account's defaults (raise them before pulumi up, then declare them under quotas:):",
      "  - DigitalOcean reserved IPs: 5 (new accounts: 3; declared 10 as quotas.digitalocean.reservedIps)",
      "  - DigitalOcean Droplets: 5 (new accounts: 3; declared 10 as quotas.digitalocean.droplets)",
      "  - AWS vCPUs of on-demand T instances in me-central-1: 6 (new accounts: 5; declared 32 as quotas.aws.vcpusPerRegion)",
      "  - AWS opt-in region me-central-1: declared enabled (quotas.aws.optInRegions)",
    ]);
  });
});
