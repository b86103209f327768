import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultBlockedPorts } from "../../src/abuse/defaults";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { planOf } from "./support/load";
import { nftCheck } from "./support/nft-check";

function rulesetOf(fleet: Record<string, any>): string {
  const node = planOf(fleet).nodes[0]!;
  const document = parse(renderCloudConfig({ node, address: "198.51.100.7", secrets: fixedSecrets }));
  return document.write_files.find((f: any) => f.path === "/etc/nftables.conf").content;
}

const chain = (ruleset: string, name: string) => ruleset.slice(ruleset.indexOf(`chain ${name} {`), ruleset.indexOf("}\n", ruleset.indexOf(`chain ${name} {`)));

describe("the node's nftables ruleset", () => {
  it("is accepted by the real nft, with defaults and with every control set", () => {
    expect(nftCheck(rulesetOf(baseFleet()))).toEqual({ valid: true, output: "" });
    const fleet = baseFleet();
    fleet.ssh = { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"] };
    fleet.abuse = { allowedPorts: [80, 443, 8080], blockedPorts: [25, "6881-6999"], maxConnectionsPerClient: 50, bandwidthMbit: 100 };
    expect(nftCheck(rulesetOf(fleet))).toEqual({ valid: true, output: "" });
  });

  it("is refused by nft when broken, so the check above means something", () => {
    expect(nftCheck(rulesetOf(baseFleet()).replace("policy drop;", "policy maybe;")).valid).toBe(false);
  });

  it("admits only the relay ports, dropping everything else, and caps connections per client address", () => {
    const input = chain(rulesetOf(baseFleet()), "input");
    expect(input).toContain("policy drop;");
    expect(input.match(/tcp dport .* accept$/gm)).toEqual(["tcp dport { 443, 8443 } accept"]);
    expect(input).toContain("tcp dport { 443, 8443 } ct state new add @clients_v4 { ip saddr ct count over 2000 } reject with tcp reset");
    const fleet = baseFleet();
    fleet.abuse = { maxConnectionsPerClient: 64 };
    expect(chain(rulesetOf(fleet), "input")).toContain("ip6 saddr ct count over 64 }");
  });

  it("resets socks5 tunnels past its maxConnections (microsocks cannot refuse them itself), before the ports are accepted", () => {
    const admission = "tcp dport 8443 ct state new ct count over 4000 reject with tcp reset";
    const input = chain(rulesetOf(baseFleet()), "input");
    expect(input).toContain(admission);
    expect(input.indexOf(admission)).toBeLessThan(input.indexOf("tcp dport { 443, 8443 } accept"));
    // mtg refuses past its own limit: no rule for it.
    expect(input).not.toMatch(/tcp dport 443 ct state new ct count/);
    const fleet = baseFleet();
    fleet.relays[1].options = { maxConnections: 100 };
    const limited = rulesetOf(fleet);
    expect(chain(limited, "input")).toContain("tcp dport 8443 ct state new ct count over 100 reject with tcp reset");
    expect(nftCheck(limited)).toEqual({ valid: true, output: "" });
  });

  it("limits new outbound connections of relay users only: allow-list, blocked ports, no internal addresses", () => {
    const output = chain(rulesetOf(baseFleet()), "output");
    expect(output).toContain("ct state established,related accept");
    expect(output).toContain("meta skuid != { 64101, 64102 } accept");
    expect(output).toMatch(/ip daddr \{[^}]*169\.254\.0\.0\/16[^}]*\} reject/);
    expect(output).toMatch(/ip daddr \{[^}]*10\.0\.0\.0\/8[^}]*\} reject/);
    expect(output).toContain(`tcp dport { ${defaultBlockedPorts.join(", ")} } reject with tcp reset`);
    expect(output).toContain("meta skuid 64101 tcp dport { 443, 80, 5222 } accept");
    expect(output).toContain("tcp dport { 80, 443 } accept");
    // Blocked ports come before any accept, so they win over the allow-list.
    expect(output.indexOf("reject with tcp reset")).toBeLessThan(output.indexOf("meta skuid 64101 tcp dport"));
    expect(output.trimEnd().endsWith("reject")).toBe(true);
  });

  it("lets relay users reach DNS only at the node's own resolvers, and never this node's addresses", () => {
    const output = chain(rulesetOf(baseFleet()), "output");
    expect(output).toContain("ip daddr @resolvers_v4 meta l4proto { tcp, udp } th dport 53 accept");
    expect(output).not.toMatch(/^\s*meta l4proto \{ tcp, udp \} th dport 53 accept$/m);
    // The resolver exception is the only accept before the internal rejects (resolvers may be private).
    const beforeInternal = output.slice(0, output.indexOf("ip daddr {"));
    expect(beforeInternal.match(/accept$/gm)).toHaveLength(4);
    expect(output.indexOf("fib daddr type local reject")).toBeLessThan(output.indexOf("ip daddr {"));
    expect(rulesetOf(baseFleet())).toMatch(/^include "\/etc\/lifeline\/nft\.d\/\*\.nft"$/m);
  });

  it("adds bandwidth shaping only when the stack asks for it", () => {
    const fleet = baseFleet();
    const files = (f: Record<string, any>) =>
      parse(renderCloudConfig({ node: planOf(f).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets })).write_files.map((w: any) => w.path);
    expect(files(fleet)).not.toContain("/etc/systemd/system/lifeline-shaping.service");
    fleet.abuse = { bandwidthMbit: 250 };
    const document = parse(renderCloudConfig({ node: planOf(fleet).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets }));
    const script = document.write_files.find((w: any) => w.path === "/usr/local/lib/lifeline/shape-bandwidth.sh").content;
    expect(script).toContain("htb rate 250mbit ceil 250mbit");
  });
});
