import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import { curlThroughProxy, tcpGreeting } from "./support/clients";
import { mtgPeerVersion } from "./support/mtg-release";
import { openNodeSession, type NodeSession } from "./support/node-session";

// The mtg install path with a mirror that serves the wrong bytes (the real mtg tarball with one
// byte flipped), or a config that pins another checksum: lifeline's download-and-verify step.
describe.each([
  ["a tampered artifact", "tampered"],
  ["a checksum mismatch in the config", "wrong-checksum"],
] as const)("installing mtg from %s", (_title, artifact) => {
  let s: NodeSession;
  let status: { stdout: string; code: number | null };

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: `install-${artifact === "tampered" ? "tamper" : "sum"}`, artifact });
    status = await s.node.exec("cloud-init", ["status", "--wait", "--long"], { timeoutMs: 300_000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("makes cloud-init report an error", () => {
    expect(status.code).not.toBe(0);
    expect(status.stdout).toMatch(/status: error/);
  });

  it("says why in the cloud-init output", async () => {
    const output = await s.node.exec("cat", ["/var/log/cloud-init-output.log"]);
    expect(output.stdout).toMatch(new RegExp(`lifeline: checksum mismatch for http://.*mtg-${mtgPeerVersion.replace(/\./g, "\\.")}-linux-amd64\\.tar\\.gz`));
    expect(output.stdout).toContain("lifeline: 01-mtproto FAILED");
  });

  it("leaves no mtg binary and no MTProto relay running or listening", async () => {
    expect((await s.node.exec("test", ["-e", "/usr/local/bin/mtg"])).code).not.toBe(0);
    expect((await s.node.exec("pidof", ["mtg"])).code).not.toBe(0);
    expect((await s.node.exec("systemctl", ["is-active", "lifeline-mtproto.service"])).stdout.trim()).not.toBe("active");
    expect((await s.node.exec("ss", ["-Hltn", "sport = :443"])).stdout.trim()).toBe("");
    expect((await tcpGreeting(s.network, s.network.nodeIp, 443)).stdout).toBe("");
  });

  it("keeps the other relay serving: one bad artifact does not take the node down", async () => {
    expect((await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout).toBe(KNOWN_PAGE);
  });
});

// The firewall fails to load at first boot (here: a ruleset nft cannot parse, injected into the
// rendered cloud-config). No relay may serve without it: the metadata service would be open.
describe("a first boot whose firewall does not load", () => {
  let s: NodeSession;
  let status: { stdout: string; code: number | null };

  beforeAll(async () => {
    s = await openNodeSession({
      provider: "digitalocean",
      name: "install-nofw",
      tamperCloudConfig: (text) => text.replace("flush ruleset\n", "flush ruleset\n      this is not an nftables rule\n"),
    });
    status = await s.node.exec("cloud-init", ["status", "--wait", "--long"], { timeoutMs: 300_000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("makes cloud-init report an error that says no relay was started", async () => {
    expect(status.stdout).toMatch(/status: error/);
    const output = (await s.node.exec("cat", ["/var/log/cloud-init-output.log"])).stdout;
    expect(output).toContain("lifeline: 00-host FAILED");
    expect(output).toContain("no relay was started");
  });

  it("starts no relay: nothing listens and nothing answers through the censor", async () => {
    for (const unit of ["lifeline-mtproto", "lifeline-socks5", "lifeline-http", "lifeline-https", "lifeline-shadowsocks"]) {
      expect((await s.node.exec("systemctl", ["is-active", unit])).stdout.trim(), unit).not.toBe("active");
    }
    const listening = await s.node.exec("ss", ["-Hltn"]);
    for (const port of [443, 8443, 8080, 4443, 2053]) expect(listening.stdout).not.toMatch(new RegExp(`:${port}\\s`));
    expect((await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout).toBe("");
  });
});
