import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realityPublicKey } from "../../src/relays/vless/keys";
import { buildGoPeer, xrayPeer } from "../peers/go-peers";
import { parseVlessLink, type ParsedVlessLink } from "../peers/vless-link";
import { KNOWN_PAGE, MINING_POOL_BANNER, SMTP_BANNER } from "./harness";
import { startNetnsScript } from "./harness/netns-script";
import { curlThroughProxy } from "./support/clients";
import { FRONTING_PAGE, frontingHost, type Transcript } from "./support/fronting-site";
import { tcpProbe } from "./support/mtproto";
import { openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { startXrayClient } from "./support/xray-client";
import { vlessTestRelay } from "./support/xray-release";

const unit = "lifeline-vless.service";
const port = 443;

/** The DER bytes of every certificate in a PEM file, in order. */
function pemChain(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from(m[1]!.replace(/\s+/g, ""), "base64").toString("hex"),
  );
}

// The real Xray 26.3.27 (built from its tagged module, published on the test mirror as upstream's
// zip) on a node from the local-nodes stack with only a vless relay on 443. The REALITY target is
// the test internet's HTTPS site; a real Xray client in the client namespace, configured from the
// node's vless:// link as an app parses it, goes through the censor.
describe("VLESS + REALITY on a booted node (real Xray on both ends)", () => {
  let s: NodeSession;
  let link: ParsedVlessLink;
  const rawLink = () => s.rendered.links["vless"]!["vless"]!;
  /** Fetches the test internet's page through a client configured from `l`; the client's log on failure. */
  const fetchThrough = async (l: ParsedVlessLink) => {
    const client = await startXrayClient(s.network, l);
    try {
      const r = await curlThroughProxy(s.network, client.socksUrl);
      return { ...r, clientLog: client.log() };
    } finally {
      client.stop();
    }
  };
  /** The target's record of the connection that began with `opening` (a probe's bytes, or a ClientHello). */
  const transcriptOf = async (opening: Buffer): Promise<Transcript> => {
    let found: Transcript | undefined;
    await waitUntil(async () => {
      found = s.frontingSite.transcripts().find((t) => t.fromClient.length >= opening.length && t.fromClient.subarray(0, opening.length).equals(opening));
      return found !== undefined;
    }, 15_000, "the target's transcript of the probe");
    return found!;
  };
  const stranger = async (sni: string) => {
    const { child, firstLine } = await startNetnsScript(s.network.plan.ns.client, join(__dirname, "support", "tls-stranger.ts"), [s.network.nodeIp, String(port), sni], "tls stranger", 30_000);
    child.kill("SIGKILL");
    const r = JSON.parse(firstLine) as { outcome: string; sent: string; received: string; chain: string[]; answer: string };
    return { ...r, sent: Buffer.from(r.sent, "hex"), received: Buffer.from(r.received, "hex") };
  };

  beforeAll(async () => {
    s = await openNodeSession({
      provider: "digitalocean",
      name: "vless",
      relayKinds: ["vless"],
      extraRelays: async (mirrorDir) => [await vlessTestRelay(mirrorDir, port)],
    });
    await s.node.waitForCloudInit();
    link = parseVlessLink(rawLink());
  }, 30 * 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it("installs the Xray from the mirror and runs it unprivileged with the rendered config", async () => {
    const status = await s.node.exec("cloud-init", ["status", "--long"]);
    expect(status.stdout).toMatch(/status: done/);
    const version = await s.node.exec("/usr/local/bin/xray", ["version"]);
    expect(version.stdout).toMatch(/^Xray 26\.3\.27 /);
    const installed = (await s.node.exec("sha256sum", ["/usr/local/bin/xray"])).stdout.split(" ")[0];
    expect(installed).toBe(createHash("sha256").update(readFileSync(await buildGoPeer(xrayPeer))).digest("hex"));
    const cmdline = await s.node.exec("sh", ["-c", "tr '\\0' ' ' < /proc/$(pidof xray)/cmdline"]);
    expect(cmdline.stdout.trim()).toBe("/usr/local/bin/xray run -config /etc/lifeline/vless.json");
    expect((await s.node.exec("ps", ["-o", "user=", "-C", "xray"])).stdout.trim()).toBe("lifeline-vless");
    expect((await s.node.exec("stat", ["-c", "%a %U:%G", "/etc/lifeline/vless.json"])).stdout.trim()).toBe("640 root:lifeline-vless");
  });

  it("a real Xray client configured from the vless:// link reaches the test internet through the censor", async () => {
    expect(link).toMatchObject({ address: s.network.nodeIp, port, security: "reality", serverName: frontingHost, flow: "xtls-rprx-vision", fingerprint: "chrome", type: "tcp" });
    const r = await fetchThrough(link);
    expect(r.stderr, r.clientLog).toBe("");
    expect(r.stdout).toBe(KNOWN_PAGE);
  });

  it("keeps the abuse controls and the internal-address wall: no SMTP, no mining pool, no node loopback through vless", async () => {
    await s.node.exec("systemd-run", ["--unit", "loopback-service", "systemd-socket-activate", "-l", "127.0.0.1:80", "--accept", "--inetd", "echo", "local secret"]);
    const client = await startXrayClient(s.network, link);
    try {
      const curl = (target: string) =>
        s.network.execIn("client", "curl", ["--silent", "--max-time", "10", "--proxy", client.socksUrl, target], { input: "" });
      const internet = s.network.internet.ip;
      expect((await curl(`telnet://${internet}:25`)).stdout).not.toContain(SMTP_BANNER);
      expect((await curl(`telnet://${internet}:3333`)).stdout).not.toContain(MINING_POOL_BANNER);
      expect((await curl("telnet://127.0.0.1:80")).stdout).not.toContain("local secret");
      // The same client still reaches the web: the refusals are the rules, not a dead tunnel.
      expect((await curl(`http://${internet}/`)).stdout).toBe(KNOWN_PAGE);
      // And the node's own root reaches both, so the wall is about the relay's user.
      expect((await s.node.exec("curl", ["--silent", "--max-time", "5", "telnet://127.0.0.1:80"], { input: "" })).stdout).toContain("local secret");
      expect((await s.node.exec("curl", ["--silent", "--max-time", "5", `telnet://${internet}:25`], { input: "" })).stdout).toContain(SMTP_BANNER);
    } finally {
      client.stop();
      await s.node.exec("systemctl", ["stop", "loopback-service"]);
    }
  });

  it("a stranger's TLS handshake with the target's name gets the target's own certificate and page, byte for byte", async () => {
    const seen = await stranger(frontingHost);
    expect(seen.outcome).toBe("closed");
    expect(seen.chain).toEqual(pemChain(s.frontingSite.certFile));
    expect(seen.answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(seen.answer.endsWith(FRONTING_PAGE)).toBe(true);
    // The first TLS record: the stranger's ClientHello.
    const clientHello = seen.sent.subarray(0, 5 + seen.sent.readUInt16BE(3));
    const transcript = await transcriptOf(clientHello);
    // The whole connection: the target got the stranger's bytes unchanged (up to the close, after
    // which the stranger's close_notify has nowhere to go), and the stranger exactly the target's.
    expect(transcript.fromClient.length).toBeGreaterThan(clientHello.length);
    expect(seen.sent.subarray(0, transcript.fromClient.length).equals(transcript.fromClient)).toBe(true);
    expect(transcript.toClient.length).toBeGreaterThan(500);
    expect(seen.received.equals(transcript.toClient)).toBe(true);
  });

  it("random bytes and plain HTTP get what the target answers them", async () => {
    for (const bytes of [randomBytes(64), Buffer.from(`GET / HTTP/1.1\r\nHost: ${frontingHost}\r\n\r\n`)]) {
      const { received } = await tcpProbe(s.network, s.network.nodeIp, port, bytes, 4000);
      const transcript = await transcriptOf(bytes);
      expect(transcript.fromClient.equals(bytes)).toBe(true);
      expect(received.equals(transcript.toClient), received.toString("latin1")).toBe(true);
    }
  });

  it("a client with a wrong public key or a wrong short id gets no proxy", async () => {
    const wrongKey = await fetchThrough({ ...link, publicKey: realityPublicKey(randomBytes(32).toString("hex")) });
    expect(wrongKey.stdout).toBe("");
    expect(wrongKey.stderr).not.toBe("");
    // The node did not authenticate the client, so it passed the target's own certificate through;
    // the client (which trusts no test root) refuses it instead of getting the node's temporary one.
    expect(wrongKey.clientLog).toMatch(/x509: certificate signed by unknown authority/);
    const wrongShortId = await fetchThrough({ ...link, shortId: link.shortId === "0".repeat(16) ? "1".repeat(16) : "0".repeat(16) });
    expect(wrongShortId.stdout).toBe("");
    expect(wrongShortId.clientLog).toMatch(/x509: certificate signed by unknown authority/);
  });

  it("scores the unit at 2.5 or lower in systemd-analyze security", async () => {
    const r = await s.node.exec("systemd-analyze", ["security", "--no-pager", unit]);
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    console.log(`systemd-analyze security ${unit}: ${score}`);
    expect(score).toBeLessThanOrEqual(2.5);
  });

  it("keeps no client address on disk, even with Xray's log and access log at their most verbose", async () => {
    const config = "/etc/lifeline/vless.json";
    await s.node.exec("sed", ["-i", 's/"loglevel": "none"/"loglevel": "debug"/; s/"access": "none"/"access": ""/', config]);
    expect((await s.node.exec("cat", [config])).stdout).toContain('"loglevel": "debug"');
    await s.node.exec("systemctl", ["restart", unit]);
    await waitUntil(async () => (await s.node.exec("ss", ["-Hltn", `sport = :${port}`])).stdout.trim() !== "", 15_000, "xray listening again");
    // The same binary and config, outside the unit, prints the addresses the unit must discard.
    const loud = await s.node.exec("sh", ["-c",
      `sed 's/"port": ${port}/"port": 4443/; s/0.0.0.0/127.0.0.1/' ${config} > /run/xray-loud.json && ` +
      "(timeout 5 /usr/local/bin/xray run -config /run/xray-loud.json > /run/xray-loud.log 2>&1 &) ; sleep 1; " +
      "head -c 64 /dev/urandom | curl -s --max-time 2 telnet://127.0.0.1:4443; sleep 4; cat /run/xray-loud.log; rm -f /run/xray-loud.*"]);
    console.log(`xray at debug, outside the unit:\n${loud.stdout.split("\n").filter((l) => /127\.0\.0\.1:\d{4,5}/.test(l)).slice(0, 3).join("\n")}`);
    expect(loud.stdout).toMatch(/127\.0\.0\.1:\d+/);
    expect((await fetchThrough(link)).stdout).toBe(KNOWN_PAGE);
    expect((await fetchThrough({ ...link, shortId: "f".repeat(16) })).stdout).toBe("");
    await stranger(frontingHost);
    const client = s.network.clientIp;
    const journal = await s.node.exec("journalctl", ["--no-pager", "-o", "export"], { timeoutMs: 60_000 });
    expect(journal.stdout.length).toBeGreaterThan(1000);
    expect(journal.stdout).not.toContain(client);
    expect((await s.node.exec("grep", ["-rIl", "--", client, "/var/log"])).stdout).toBe("");
  });

  it("does not start without the node firewall, and serves again once it is back", async () => {
    await s.node.exec("nft", ["delete", "table", "inet", "lifeline"]);
    try {
      await s.node.exec("systemctl", ["restart", unit]);
      await new Promise((r) => setTimeout(r, 2000));
      expect((await s.node.exec("systemctl", ["is-active", unit])).stdout.trim()).not.toBe("active");
      expect((await s.node.exec("ss", ["-Hltn", `sport = :${port}`])).stdout.trim()).toBe("");
      expect((await fetchThrough(link)).stdout).toBe("");
    } finally {
      await s.node.exec("nft", ["-f", "/etc/nftables.conf"]);
    }
    await waitUntil(async () => (await s.node.exec("systemctl", ["is-active", unit])).stdout.trim() === "active", 30_000, "xray restarting with the firewall back");
    await waitUntil(async () => (await fetchThrough(link)).stdout === KNOWN_PAGE, 30_000, "vless serving again");
  });
});
