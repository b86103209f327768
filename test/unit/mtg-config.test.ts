import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { mtgConfigToml, mtgEffectiveConcurrency } from "../../src/relays/mtproto/config";
import { mtgVersionAtLeast } from "../../src/relays/mtproto/release";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { planOf } from "./support/load";

const input = { secret: "ee00112233445566778899aabbccddeeff", port: 443, maxConnections: 8192, dnsOverHttpsIp: "9.9.9.9" };

/** Every `key = value` of a TOML text, as `section.key`. */
function tomlKeys(toml: string): string[] {
  let section = "";
  const keys: string[] = [];
  for (const line of toml.split("\n")) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = `${header[1]}.`;
    const pair = /^([a-z-]+) = /.exec(line);
    if (pair) keys.push(`${section}${pair[1]}`);
  }
  return keys;
}

describe("mtg's configuration", () => {
  it("uses only keys that mtg 2.1.7 and 2.2.8 both read, with the same meaning", () => {
    // Checked against both versions' internal/config/parse.go and internal/cli/run_proxy.go.
    expect(tomlKeys(mtgConfigToml({ ...input, version: "2.1.7" })).sort()).toEqual([
      "bind-to", "defense.anti-replay.enabled", "defense.anti-replay.max-size", "defense.blocklist.enabled",
      "network.doh-ip", "prefer-ip", "secret", "stats.prometheus.bind-to", "stats.prometheus.enabled",
    ]);
  });

  it("writes concurrency only for mtg 2.2.4 and newer, which read it (older ones always serve 4096)", () => {
    expect(mtgConfigToml({ ...input, version: "2.2.8" })).toMatch(/^concurrency = 8192$/m);
    expect(mtgConfigToml({ ...input, version: "2.2.4" })).toMatch(/^concurrency = 8192$/m);
    expect(mtgConfigToml({ ...input, version: "2.2.3" })).not.toMatch(/concurrency/);
    expect(mtgConfigToml({ ...input, version: "2.1.7" })).not.toMatch(/concurrency/);
    expect(mtgEffectiveConcurrency("2.1.7", 8192)).toBe(4096);
    expect(mtgEffectiveConcurrency("2.2.8", 8192)).toBe(8192);
  });

  it("names the DNS-over-HTTPS resolver, whose default differs between versions, and no [network.public-ip]", () => {
    const toml = mtgConfigToml({ ...input, version: "2.2.8" });
    expect(toml).toMatch(/^\[network\]\ndoh-ip = "9\.9\.9\.9"$/m);
    expect(toml).not.toContain("public-ip");
  });

  it("compares versions by major, minor and patch, ignoring a build suffix", () => {
    expect(mtgVersionAtLeast("2.2.10", "2.2.4")).toBe(true);
    expect(mtgVersionAtLeast("2.10.0", "2.2.4")).toBe(true);
    expect(mtgVersionAtLeast("2.2.3-custom", "2.2.4")).toBe(false);
    expect(mtgVersionAtLeast("3.0.0", "2.2.4")).toBe(true);
    expect(mtgVersionAtLeast("1.9.9", "2.2.4")).toBe(false);
  });

  it("reaches the node with the stack's resolver option and the pinned release's keys", () => {
    const fleet = baseFleet();
    fleet.relays[0].options = { dnsOverHttpsIp: "1.1.1.1" };
    const document = parse(renderCloudConfig({ node: planOf(fleet).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets }));
    const toml = document.write_files.find((f: any) => f.path === "/etc/lifeline/mtproto.toml").content;
    expect(toml).toContain('doh-ip = "1.1.1.1"');
    expect(toml).toMatch(/^concurrency = 8192$/m);
  });
});
