import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { realityPrivateKey, realityPublicKey } from "../../src/relays/vless/keys";
import { pinnedXrayRelease, xrayAssetUrl } from "../../src/relays/vless/release";
import { buildGoPeer, xrayPeer } from "../peers/go-peers";
import { parseVlessLink, xrayClientConfig } from "../peers/vless-link";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { baseFleet, today } from "./support/fixtures";
import { issuesOf, planOf } from "./support/load";
import { installMocks, settled, valueOf } from "./support/pulumi-mocks";

const secrets = {
  vless: {
    userId: "3f1c2a4e-9b7d-4c2e-8a1f-5d6e7f809a1b",
    privateKey: "a0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9f",
    shortId: "0123456789abcdef",
  },
};

function vlessFleet(options: Record<string, unknown> = { target: { host: "www.example.org" } }): Record<string, any> {
  return { ...baseFleet(), relays: [{ kind: "vless", port: 443, options }] };
}

function rendered(fleet = vlessFleet()) {
  const node = planOf(fleet).nodes[0]!;
  const document = renderCloudConfig({ node, address: "198.51.100.7", secrets });
  return { node, document, files: parse(document).write_files as Array<{ path: string; content: string }> };
}

const configOf = (fleet = vlessFleet()) => rendered(fleet).files.find((f) => f.path === "/etc/lifeline/vless.json")!.content;

describe("the vless relay (Xray VLESS + REALITY + Vision)", () => {
  let xray: string;
  let work: string;
  /** Runs the real Xray's config check on a JSON text. */
  const xrayTest = (json: string) => {
    const file = join(work, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, json);
    const r = spawnSync(xray, ["run", "-test", "-config", file], { encoding: "utf8" });
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  };

  beforeAll(async () => {
    xray = await buildGoPeer(xrayPeer);
    work = mkdtempSync(join(tmpdir(), "lifeline-vless-"));
  }, 30 * 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("renders a server config the real Xray 26.3.27 accepts, with logs off and the Vision flow", () => {
    const json = configOf();
    const r = xrayTest(json);
    expect(r.output).toContain("Configuration OK");
    expect(r.code).toBe(0);
    const config = JSON.parse(json);
    expect(config.log).toEqual({ loglevel: "none", access: "none", dnsLog: false });
    const inbound = config.inbounds[0];
    expect(inbound.settings.clients).toEqual([{ id: secrets.vless.userId, flow: "xtls-rprx-vision" }]);
    expect(inbound.streamSettings.realitySettings).toEqual({
      target: "www.example.org:443",
      serverNames: ["www.example.org"],
      privateKey: Buffer.from(secrets.vless.privateKey, "hex").toString("base64url"),
      shortIds: [secrets.vless.shortId],
    });
  });

  it("the same Xray check refuses a broken config (so the check above means something)", () => {
    const config = JSON.parse(configOf());
    config.inbounds[0].streamSettings.realitySettings.privateKey = "not-a-key";
    const r = xrayTest(JSON.stringify(config));
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('invalid "privateKey"');
  });

  it("derives the public key exactly as `xray x25519` does, from the private key alone", () => {
    for (const hex of [secrets.vless.privateKey, "f".repeat(64), "0".repeat(63) + "1"]) {
      const printed = execFileSync(xray, ["x25519", "-i", realityPrivateKey(hex)], { encoding: "utf8" });
      const fromXray = /Password \(PublicKey\): (\S+)/.exec(printed)?.[1];
      expect(fromXray).toBeDefined();
      expect(realityPublicKey(hex)).toBe(fromXray);
    }
  });

  it("gives a vless:// link that parses back to the node's parameters, encrypted, with a neutral label", () => {
    const { node } = rendered();
    const links = renderLinks(node);
    expect(links.transport).toBe("encrypted");
    const link = links.vless!;
    expect(link).toMatch(/^vless:\/\/[0-9a-f-]{36}@198\.51\.100\.7:443\?security=reality&sni=www\.example\.org&pbk=[A-Za-z0-9_-]{43}&sid=0123456789abcdef&fp=chrome&flow=xtls-rprx-vision&type=tcp&encryption=none#fra1-0$/);
    expect(parseVlessLink(link)).toEqual({
      userId: secrets.vless.userId,
      address: "198.51.100.7",
      port: 443,
      security: "reality",
      serverName: "www.example.org",
      publicKey: realityPublicKey(secrets.vless.privateKey),
      shortId: secrets.vless.shortId,
      fingerprint: "chrome",
      flow: "xtls-rprx-vision",
      type: "tcp",
      encryption: "none",
      label: node.label,
    });
    expect(link.toLowerCase()).not.toMatch(/lifeline|digitalocean|xray/);
  });

  it("the client config an app builds from the link is one the real Xray accepts", () => {
    const r = xrayTest(xrayClientConfig(parseVlessLink(renderLinks(rendered().node).vless!), 10808));
    expect(r.output).toContain("Configuration OK");
  });

  it("installs the pinned release through fetch-verified from the mirror, in a sandboxed unit, and stays schema-valid", () => {
    const fleet = { ...vlessFleet(), artifactMirror: "https://mirror.example.net/xray" };
    const { document } = rendered(fleet);
    const schema = cloudInitSchema(document);
    expect(schema.output).toContain("Valid cloud-config");
    expect(schema.valid).toBe(true);
    const url = "https://mirror.example.net/xray/v26.3.27/Xray-linux-64.zip";
    expect(xrayAssetUrl(pinnedXrayRelease, "amd64", fleet.artifactMirror)).toBe(url);
    expect(document).toContain(`/usr/local/lib/lifeline/fetch-verified '${url}' '${pinnedXrayRelease.sha256.amd64}' `);
    expect(xrayAssetUrl(pinnedXrayRelease, "arm64", undefined)).toBe("https://github.com/XTLS/Xray-core/releases/download/v26.3.27/Xray-linux-arm64-v8a.zip");
    const unit = parse(document).write_files.find((f: any) => f.path === "/etc/systemd/system/lifeline-vless.service")?.content as string;
    expect(unit).toContain("ExecStart=/usr/local/bin/xray run -config /etc/lifeline/vless.json");
    expect(unit).toContain("User=lifeline-vless");
    expect(unit).toContain("StandardOutput=null");
    expect(unit).toContain("SystemCallFilter=~@privileged");
  });

  it("lets the node firewall reset tunnels past maxConnections, as Xray cannot refuse them itself", () => {
    const ruleset = (fleet: Record<string, any>) => rendered(fleet).files.find((f) => f.path === "/etc/nftables.conf")!.content;
    expect(ruleset(vlessFleet())).toContain("tcp dport 443 ct state new ct count over 4000 reject with tcp reset");
    expect(ruleset(vlessFleet({ target: { host: "www.example.org" }, maxConnections: 9000 }))).toContain("tcp dport 443 ct state new ct count over 9000 reject with tcp reset");
  });

  it("takes another release with its own sha256 per architecture", () => {
    const release = { version: "26.4.1", sha256: { amd64: "a".repeat(64), arm64: "b".repeat(64) } };
    const { document } = rendered(vlessFleet({ target: { host: "www.example.org" }, release }));
    expect(document).toContain(`/v26.4.1/Xray-linux-64.zip' '${"a".repeat(64)}' `);
  });

  it("refuses options it cannot use with a message saying what to write", () => {
    const missing = issuesOf(vlessFleet({}));
    expect(missing).toEqual([
      { path: "relays[0].options.target", message: "is required", example: "target: { host: www.example.com, port: 443 }   (vless: a real HTTPS site with TLS 1.3 and HTTP/2, near the node)" },
    ]);
    const ipOnly = issuesOf(vlessFleet({ target: { host: "203.0.113.9" } }));
    expect(ipOnly.map((i) => `${i.path}: ${i.message}`)).toContain("relays[0].options.serverNames: is required when the target is an IP address: the names its certificate is for");
    const badName = issuesOf(vlessFleet({ target: { host: "Not A Host" } }));
    expect(badName[0]!.path).toBe("relays[0].options.target.host");
    const badSha = issuesOf(vlessFleet({ target: { host: "www.example.org" }, release: { version: "26.4.1", sha256: { amd64: "x", arm64: "b".repeat(64) } } }));
    expect(badSha.map((i) => i.message)).toContain("must be a sha256 in lowercase hex (64 characters)");
  });

  it("plan notes what a target must offer and that a far-away one is easier to flag", () => {
    const lines = vlessRelayNotes({ target: { host: "198.18.3.3", port: 8443 }, serverNames: ["www.example.org"] });
    expect(lines.join("\n")).toMatch(/TLS 1\.3 with X25519 and HTTP\/2/);
    expect(lines.join("\n")).toMatch(/far from the node's provider is easier to flag/);
    expect(lines.join("\n")).toMatch(/target port 8443: .*allowed egress ports/);
  });

  it("keeps the user id and keys in Pulumi random resources: two runs give the same links", async () => {
    const run = async () => {
      const recorded = await installMocks("vless", { ...vlessFleet(), relays: [{ kind: "vless", port: 443, options: { target: { host: "www.example.org" } } }] });
      const deployed = deployFleet(loadPlan("vless", today), "vless");
      await settled(recorded);
      return { recorded, links: await valueOf(deployed.nodes[0]!.links) };
    };
    const first = await run();
    const second = await run();
    const randoms = first.recorded.filter((r) => r.type.startsWith("random:") && r.name.includes("-vless-")).map((r) => `${r.type} ${r.name}`).sort();
    expect(randoms).toEqual([
      "random:index/randomBytes:RandomBytes do-fra1-0-vless-privateKey",
      "random:index/randomBytes:RandomBytes do-fra1-0-vless-shortId",
      "random:index/randomUuid:RandomUuid do-fra1-0-vless-userId",
    ]);
    const link = first.links["vless"]!["vless"]!;
    expect(second.links["vless"]!["vless"]).toBe(link);
    const parsed = parseVlessLink(link);
    expect(parsed.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parsed.shortId).toMatch(/^[0-9a-f]{16}$/);
  });
});

import { createServer, type AddressInfo } from "node:net";
import { nodeLinks } from "../../src/links/node-links";
import type { PlannedNode } from "../../src/plan/types";
import { relayKind } from "../../src/relays/registry";

function renderLinks(node: PlannedNode): Record<string, string> {
  return nodeLinks(node, "198.51.100.7", secrets)["vless"] as Record<string, string>;
}

function vlessRelayNotes(options: Record<string, unknown>): string[] {
  const kind = relayKind("vless");
  return kind.planNotes!(kind.optionsSchema.parse(options), []);
}
