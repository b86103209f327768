import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseFleet, repoRoot } from "./support/fixtures";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { inDays, runPlanCli, writeStack as writeStackIn } from "./support/plan-cli";
import { runPlan } from "../../src/cli/plan-command";
import { priceTableChecked } from "../../src/catalog/prices";

const inDaysFrom = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const work = mkdtempSync(join(tmpdir(), "lifeline-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const writeStack = (name: string, fleet: unknown) => writeStackIn(work, name, fleet);
const plan = runPlanCli;

describe("npm run plan", () => {
  it("prints the node table and the cost per hour and per day for a valid stack", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10) };
    fleet.groups = [
      { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2 },
      { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.nano" },
    ];
    writeStack("good", fleet);
    const { code, stdout, stderr } = plan("--stack", "good", "--stacks-dir", work);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines.find((l) => l.startsWith("NODE"))).toMatch(/^NODE\s+PROVIDER\s+REGION\s+SIZE\s+ARCH\s+RELAYS \(PORT\)\s+PER HOUR$/);
    expect(lines.find((l) => l.startsWith("do-fra1-1"))).toMatch(/^do-fra1-1\s+digitalocean\s+fra1\s+s-1vcpu-1gb\s+amd64\s+mtproto:443 socks5:8443\s+\$0\.0089$/);
    // t4g.nano in eu-central-1 with its address and disk: 0.0048 + 0.005 + 8 x 0.0952 / 730 = 0.0108433.
    expect(lines.find((l) => l.startsWith("aws-eu-central-1-0"))).toMatch(/aws\s+eu-central-1\s+t4g\.nano\s+arm64\s+mtproto:443 socks5:8443\s+\$0\.0108$/);
    // 2 x 6/672 + 0.0108433 = 0.0287004 $/h; x 24 = 0.68881, plus AWS traffic (10 - 100/30) x 0.09 = 0.60:
    // $1.29/day; today through the expiry day is 11 days: 1.28881 x 11 = $14.18.
    expect(stdout).toContain(
      "estimated cost: $0.0287/hour for the VMs and addresses; $1.29/day with traffic at 10 GB per node a day ($0.60 of it) (budget $5.00/day); $14.18 through",
    );
    expect(stdout).toMatch(/^WARNING: on AWS, traffic is the main cost, not the VMs\. At 10 GB out per node a day/m);
    expect(stdout).toContain("3 nodes: digitalocean fra1 x2; aws eu-central-1 x1");
    expect(stdout).toContain("abuse controls: relay users reach ports 80, 443 only; 16 ports or ranges always blocked; at most 2000 connections per client address; bandwidth cap off");
    expect(stdout).toContain("hand to people inside the country (encrypted, even against whoever holds a link): mtproto (443)\n");
    expect(stdout).toContain("only while the links stay private (whoever holds a link can decrypt captured traffic): none\n");
    expect(stdout).toContain("last resort only (plaintext: the censor sees passwords and sites): socks5 (8443)\n");
    expect(stdout).toMatch(/^mtproto fronting host: www\.cloudflare\.com \(the default, shared by every stack that keeps it\);.*"Choosing a fronting host"\)$/m);
  });

  it("puts Shadowsocks in its own class: hidden only while the links stay private", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10) };
    fleet.relays = [...fleet.relays, { kind: "shadowsocks", port: 8388 }];
    fleet.openPorts = [...fleet.openPorts, 8388];
    writeStack("with-ss", fleet);
    const { code, stdout } = plan("--stack", "with-ss", "--stacks-dir", work);
    expect(code).toBe(0);
    expect(stdout).toContain("hand to people inside the country (encrypted, even against whoever holds a link): mtproto (443)\n");
    expect(stdout).toContain("only while the links stay private (whoever holds a link can decrypt captured traffic): shadowsocks (8388)\n");
  });

  it("warns when the price table is more than 90 days old, against a fixed today", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: "2027-12-31" };
    writeStack("dated", fleet);
    const printed = (today: string) => {
      const lines: string[] = [];
      runPlan({ stack: "dated", stacksDir: work, today }, (text) => lines.push(text));
      return lines.join("\n");
    };
    expect(printed(inDaysFrom(priceTableChecked, 90))).not.toContain("price table");
    expect(printed(inDaysFrom(priceTableChecked, 91))).toContain(`warning: the price table was checked on ${priceTableChecked}, 91 days ago (more than 90)`);
  });

  it("shows the fronting host a stack chose, and the connections an older mtg really serves", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10) };
    fleet.relays[0].options = { frontingHost: "www.example.org", release: { version: "2.1.7", sha256: { amd64: "a".repeat(64), arm64: "b".repeat(64) } } };
    writeStack("fronting", fleet);
    const { code, stdout } = plan("--stack", "fronting", "--stacks-dir", work);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mtproto fronting host: www\.example\.org; probes with a wrong secret are sent there\./m);
    expect(stdout).toContain("mtproto: mtg 2.1.7, at most 4096 connections at once (this mtg ignores maxConnections 8192)");
  });

  it("refuses an https relay without publicInCtLogs: true, saying CT logs publish the address and every relay on it; plan states the cost", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10) };
    fleet.openPorts = [443, 8443, 4443];
    fleet.relays.push({ kind: "https", port: 4443 });
    writeStack("https-unasked", fleet);
    const refused = plan("--stack", "https-unasked", "--stacks-dir", work);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("1 problem in the fleet config, nothing was created");
    expect(refused.stderr).toMatch(/lifeline:fleet\.relays\[2\]\.options\.publicInCtLogs: the https relay makes each node's address public: its certificate is published in Certificate Transparency logs within minutes of boot and at every renewal, .* and with it every other relay on the same node\. Give https nodes of their own \(a stack whose only relay is https\) and set options: \{ publicInCtLogs: true \}/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    for (const wrong of [false, "yes"]) {
      fleet.relays[2].options = { publicInCtLogs: wrong };
      writeStack("https-unasked", fleet);
      expect(plan("--stack", "https-unasked", "--stacks-dir", work).stderr, String(wrong)).toContain("relays[2].options.publicInCtLogs: the https relay makes each node's address public");
    }

    fleet.relays[2].options = { publicInCtLogs: true };
    writeStack("https-shared", fleet);
    const shared = plan("--stack", "https-shared", "--stacks-dir", work);
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toMatch(/^https: the https relay makes each node's address public: .*; here that is mtproto, socks5 too: give https a stack of its own \(dedicated nodes\) to keep them hidden$/m);

    writeStack("https-alone", { ...fleet, openPorts: [4443], relays: [{ kind: "https", port: 4443, options: { publicInCtLogs: true } }] });
    const alone = plan("--stack", "https-alone", "--stacks-dir", work);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toMatch(/^https: the https relay makes each node's address public: .*; these nodes carry https alone, as advised$/m);
  });

  it("exits non-zero with every error listed and no stack trace on a bad config", () => {
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10), budgetPerDay: -1 };
    fleet.groups[0].regions = ["fra9"];
    writeStack("bad", fleet);
    const { code, stdout, stderr } = plan("--stack", "bad", "--stacks-dir", work);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("2 problems in the fleet config, nothing was created");
    expect(stderr).toContain("lifeline:fleet.budgetPerDay: must be above 0");
    expect(stderr).toContain('lifeline:fleet.groups[0].regions[0]: "fra9" is not a DigitalOcean region');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("says which stacks exist when the named one does not", () => {
    const { code, stderr } = plan("--stack", "nobody", "--stacks-dir", work);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Pulumi\.nobody\.yaml does not exist \(stacks here: .*good/);
  });

  it("explains a stack file that is not YAML", () => {
    writeFileSync(join(work, "Pulumi.broken.yaml"), "config:\n  lifeline:fleet: [unclosed\n");
    const { code, stderr } = plan("--stack", "broken", "--stacks-dir", work);
    expect(code).toBe(2);
    expect(stderr).toContain("is not valid YAML");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a stack name that could point outside the stacks folder", () => {
    const { code, stderr } = plan("--stack", "../etc/passwd", "--stacks-dir", work);
    expect(code).toBe(2);
    expect(stderr).toContain("is not a stack name");
  });

  it("writes each node's decompressed user data, valid for cloud-init, with placeholder secrets", () => {
    const out = join(work, "user-data");
    const fleet: Record<string, any> = { ...baseFleet(), expires: inDays(10) };
    fleet.groups = [
      { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 },
      { provider: "aws", regions: ["eu-north-1"], nodesPerRegion: 1 },
    ];
    writeStack("files", fleet);
    const { code, stdout } = plan("--stack", "files", "--stacks-dir", work, "--write-user-data", out);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["aws-eu-north-1-0.yaml", "do-fra1-0.yaml"]);
    expect(stdout).toMatch(/wrote .*aws-eu-north-1-0\.yaml \(\d+ bytes as sent, gzip\+base64\)/);
    for (const file of readdirSync(out)) {
      const text = readFileSync(join(out, file), "utf8");
      expect(text.startsWith("#cloud-config\n# offline plan: the address and the secrets below are placeholders")).toBe(true);
      expect(cloudInitSchema(text).valid).toBe(true);
      expect(text).toContain("SOCKS_PASS=xxxxxxxxxxxxxxxxxxxxxxxx");
    }
  });

  it("runs through the npm script the README gives", () => {
    const result = spawnSync("npm", ["run", "-s", "plan", "--", "--stack", "example-do"], { cwd: repoRoot, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("do-lon1-0");
  });
});
