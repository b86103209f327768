import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { encodeUserData } from "../../src/cloudinit/encode";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { probeListenerPort, probeTokenPattern } from "../../src/probe/protocol";
import type { PlannedNode } from "../../src/plan/types";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { issuesOf, planOf } from "./support/load";
import { nftCheck } from "./support/nft-check";

const probeToken = "Pr0beT0kenAbCdEfGhIjKlMn";
const address = "198.51.100.9";

/** A stack that declares only a probe: how a volunteer finds the open ports first. */
function probeOnlyFleet(provider: "digitalocean" | "aws" = "digitalocean"): Record<string, any> {
  const { volunteer, budgetPerDay, expires } = baseFleet();
  return { volunteer, budgetPerDay, expires, probe: { provider, region: provider === "aws" ? "eu-central-1" : "fra1" } };
}

function probeOf(fleet: Record<string, any>): PlannedNode {
  const probe = planOf(fleet).probe;
  if (!probe) throw new Error("the plan has no probe");
  return probe;
}

function renderProbe(node: PlannedNode): string {
  return renderCloudConfig({ node, address, secrets: { probe: { token: probeToken } } });
}

function filesOf(document: string): Map<string, { content: string; permissions: string }> {
  return new Map(parse(document).write_files.map((f: any) => [f.path, f]));
}

describe("a probe declared in a stack", () => {
  it("plans a probe-only stack: one node with the probe role, no relay nodes, its cost counted", () => {
    const plan = planOf(probeOnlyFleet());
    expect(plan.nodes).toEqual([]);
    expect(plan.probe).toMatchObject({ role: "probe", name: "do-fra1-probe", provider: "digitalocean", region: "fra1", relays: [], openTcpPorts: [] });
    expect(plan.cost.usdPerHour).toBeCloseTo(plan.probe!.usdPerHour, 3);
    expect(plan.cost.usdPerHour).toBeGreaterThan(0);
  });

  it("plans a probe beside relay nodes, which keep the relay role", () => {
    const fleet = { ...baseFleet(), probe: { provider: "aws", region: "eu-north-1", size: "t4g.nano" } };
    const plan = planOf(fleet);
    expect(plan.nodes.map((n) => n.role)).toEqual(["relay"]);
    expect(plan.probe).toMatchObject({ role: "probe", name: "aws-eu-north-1-probe", size: "t4g.nano", arch: "arm64" });
    expect(plan.cost.usdPerHour).toBeCloseTo(plan.nodes[0]!.usdPerHour + plan.probe!.usdPerHour, 3);
  });

  it("still requires openPorts, relays and groups of a stack without a probe", () => {
    const { volunteer, budgetPerDay, expires } = baseFleet();
    const issues = issuesOf({ volunteer, budgetPerDay, expires });
    expect(issues.map((i) => i.path).sort()).toEqual(["groups", "openPorts", "relays"]);
    expect(issues.find((i) => i.path === "openPorts")!.message).toMatch(/needs at least one known-open port .*declare only a probe/);
    expect(issues.find((i) => i.path === "openPorts")!.example).toBe("openPorts: [443, 80, 8443]");
  });

  it("refuses an unknown region, size or key with the path and an example", () => {
    const issues = issuesOf({ ...probeOnlyFleet(), probe: { provider: "digitalocean", region: "mars1", size: "huge", port: 1 } });
    expect(issues.map((i) => i.path).sort()).toEqual(["probe", "probe.region", "probe.size"].sort());
    expect(issues.find((i) => i.path === "probe.region")!.message).toMatch(/"mars1" is not a DigitalOcean region/);
    expect(issues.find((i) => i.path === "probe.region")!.example).toContain("region: fra1");
    expect(issues.find((i) => i.path === "probe.size")!.message).toMatch(/"huge" is not a DigitalOcean size/);
  });

  it("counts the probe against account limits and the budget", () => {
    const full = { ...baseFleet(), groups: [{ provider: "digitalocean", regions: ["fra1", "ams3", "lon1"], nodesPerRegion: 1 }] };
    expect(() => planOf(full)).not.toThrow();
    const withProbe = { ...full, probe: { provider: "digitalocean", region: "fra1" } };
    expect(issuesOf(withProbe).map((i) => i.path)).toEqual(expect.arrayContaining(["quotas.digitalocean.reservedIps", "quotas.digitalocean.droplets"]));
    expect(issuesOf({ ...probeOnlyFleet(), budgetPerDay: 0.01 }).map((i) => i.path)).toEqual(["budgetPerDay"]);
    const optIn = issuesOf({ ...probeOnlyFleet("aws"), probe: { provider: "aws", region: "me-central-1" } });
    expect(optIn.map((i) => i.path)).toEqual(["probe.region"]);
    expect(optIn[0]!.message).toMatch(/opt-in AWS region/);
  });
});

describe("a probe node's user data", () => {
  it.each(["digitalocean", "aws"] as const)("passes the real cloud-init schema validator (%s) and fits the cloud's limit", (provider) => {
    const node = probeOf(probeOnlyFleet(provider));
    const document = renderProbe(node);
    expect(cloudInitSchema(document)).toMatchObject({ valid: true });
    expect(document.split("\n")[1]).toBe(`# lifeline probe ${node.name}: generated from the stack config; change that, not this.`);
    const encoded = encodeUserData(provider, node.name, document);
    const text = encoded.encoding === "plain" ? encoded.value : gunzipSync(Buffer.from(encoded.value, "base64")).toString("utf8");
    expect(text).toBe(document);
  });

  it("redirects every TCP port to one listener, in a ruleset the real nft accepts", () => {
    const ruleset = filesOf(renderProbe(probeOf(probeOnlyFleet()))).get("/etc/nftables.conf")!.content;
    expect(nftCheck(ruleset)).toEqual({ valid: true, output: "" });
    expect(ruleset).toContain(`    meta l4proto tcp redirect to :${probeListenerPort}\n`);
    const input = ruleset.slice(ruleset.indexOf("chain input {"), ruleset.indexOf("chain forward {"));
    expect(input).toContain("policy drop;");
    expect(input.match(/^\s*tcp dport .* accept$/gm)).toEqual([`    tcp dport ${probeListenerPort} accept`]);
    expect(ruleset).not.toContain("tcp dport 22 accept");
    // The listener answers; it never opens a connection of its own.
    expect(ruleset).toMatch(/ct state established,related accept\n    meta skuid 64110 reject/);
  });

  it("keeps SSH, when on, out of the redirect: 22 is the only management port", () => {
    const fleet = { ...probeOnlyFleet(), ssh: { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"] } };
    const node = probeOf(fleet);
    expect(node.openTcpPorts).toEqual([22]);
    const ruleset = filesOf(renderProbe(node)).get("/etc/nftables.conf")!.content;
    expect(nftCheck(ruleset).valid).toBe(true);
    expect(ruleset).toContain(`tcp dport != { 22 } redirect to :${probeListenerPort}`);
    expect(ruleset).toContain("tcp dport 22 accept");
  });

  it("runs the listener as its own sandboxed user, with the token only in a root-only file", () => {
    const document = renderProbe(probeOf(probeOnlyFleet()));
    const files = filesOf(document);
    const unit = files.get("/etc/systemd/system/lifeline-probe.service")!.content;
    expect(unit).toMatch(/^User=lifeline-probe$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/python3 -I \/usr\/local\/lib\/lifeline\/probe-listener\.py$/m);
    expect(unit).toMatch(/^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/lifeline\/probe.env$/m);
    expect(files.get("/etc/lifeline/probe.env")).toMatchObject({ content: `PROBE_TOKEN=${probeToken}\n`, permissions: "0600" });
    expect(document.split(probeToken)).toHaveLength(2);
    expect([...files.keys()].filter((p) => /lifeline-(mtproto|socks5|http|shadowsocks)/.test(p))).toEqual([]);
    expect(files.get("/usr/local/lib/lifeline/steps/01-probe.sh")!.content).toContain(`sport = :${probeListenerPort}`);
  });

  it("refuses to render a probe without its token", () => {
    expect(() => renderCloudConfig({ node: probeOf(probeOnlyFleet()), address, secrets: fixedSecrets })).toThrow(/do-fra1-probe: the probe lacks its generated token/);
  });

  it("takes a token of the form the scanner accepts", () => {
    expect(probeToken).toMatch(probeTokenPattern);
  });
});
