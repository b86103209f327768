import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRONTING_PAGE, frontingHost, type Transcript } from "./support/fronting-site";
import { mtgPeerVersion } from "./support/mtg-release";
import { mtgMetrics, mtprotoConnect, withWrongSecret } from "./support/mtproto";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";

// Real MTProto: the real mtg (the version nodes run, built from its tagged Go module and
// installed through the stack's `release` and `artifactMirror` options) on a node from the local-nodes stack, and a real, independent client
// (mtcute's MTProxy transport) from inside the simulated blackout. mtg imitates an HTTPS site of
// the test internet. Telegram's data centres are not reachable here: the path is proven from the
// client through FakeTLS and obfuscated2 to mtg's dial towards Telegram, not beyond.
describe("real MTProto on a booted node (mtg from the stack's release option, mtcute as the client)", () => {
  let s: NodeSession;
  const link = () => s.rendered.links["mtproto"]!["telegram"]!;
  const webLink = () => s.rendered.links["mtproto"]!["telegramWeb"]!;
  /** The fronting site's record of the connection whose first bytes were `sent`. */
  const transcriptOf = async (sent: Buffer): Promise<Transcript> => {
    let found: Transcript | undefined;
    await waitUntil(async () => {
      found = s.frontingSite.transcripts().find((t) => t.fromClient.subarray(0, sent.length).equals(sent));
      return found !== undefined;
    }, eventCapMs, "the fronting site's transcript of the probe");
    return found!;
  };

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "mtproto" });
    await s.node.waitForCloudInit();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("installs the real mtg named by the release option and runs it unprivileged with the rendered config", async () => {
    const version = await s.node.exec("/usr/local/bin/mtg", ["--version"]);
    // As upstream's release build: the version without the tag's `v`, then the Go build details.
    expect(version.stdout).toMatch(new RegExp(`^${mtgPeerVersion.replace(/\./g, "\\.")} \\(go`));
    const cmdline = await s.node.exec("sh", ["-c", "tr '\\0' ' ' < /proc/$(pidof mtg)/cmdline"]);
    expect(cmdline.stdout.trim()).toBe("/usr/local/bin/mtg run /etc/lifeline/mtproto.toml");
    expect((await s.node.exec("ps", ["-o", "user=", "-C", "mtg"])).stdout.trim()).toBe("lifeline-mtproto");
  });

  it("the tg://proxy link's secret completes the FakeTLS handshake (mtcute checks the server's HMAC) and mtg goes on to dial Telegram", async () => {
    // An observing rule (a counter, no verdict) for packets the mtproto user sends to Telegram's
    // networks: after obfuscated2, mtg dials a data centre, which nothing here answers.
    const telegramNets = "{ 149.154.160.0/20, 91.108.4.0/22, 91.108.8.0/22, 91.108.56.0/22, 95.161.64.0/20, 91.105.192.0/23, 185.76.151.0/24 }";
    await s.node.exec("nft", ["insert", "rule", "inet", "lifeline", "output", "meta", "skuid", "64101", "ip", "daddr", telegramNets, "counter"]);
    const towardsTelegram = async () => {
      const r = await s.node.exec("nft", ["list", "chain", "inet", "lifeline", "output"]);
      return Number(/meta skuid 64101 ip daddr \{[^}]*\} counter packets (\d+)/.exec(r.stdout)?.[1] ?? NaN);
    };
    expect(await towardsTelegram()).toBe(0);
    const before = await mtgMetrics(s.node);
    const attempt = await mtprotoConnect(s.network, link());
    expect(attempt.error).toBeUndefined();
    expect(attempt.ok).toBe(true);
    // The server's answer opens like a TLS ServerHello record, as FakeTLS must look on the wire.
    expect([...attempt.received.subarray(0, 3)]).toEqual([0x16, 0x03, 0x03]);
    expect(await towardsTelegram()).toBeGreaterThan(0);
    const after = await mtgMetrics(s.node);
    expect(after["mtg_domain_fronting"]).toBe(before["mtg_domain_fronting"]);
    expect(after["mtg_replay_attacks"]).toBe(before["mtg_replay_attacks"]);
  });

  it("the https://t.me/proxy form of the link works the same", async () => {
    expect((await mtprotoConnect(s.network, webLink(), "handshake")).ok).toBe(true);
  });

  it("a wrong secret fails the handshake, is passed to the fronting site, and the prober gets exactly what that site sent", async () => {
    const before = await mtgMetrics(s.node);
    const attempt = await mtprotoConnect(s.network, withWrongSecret(link()));
    expect(attempt.ok).toBe(false);
    expect(attempt.error).toMatch(/hash is invalid|hello is invalid/i);
    const transcript = await transcriptOf(attempt.clientHello);
    // The site saw the prober's ClientHello unchanged, and the prober saw the site's answer unchanged.
    expect(transcript.fromClient.subarray(0, attempt.clientHello.length).equals(attempt.clientHello)).toBe(true);
    expect(attempt.received.length).toBeGreaterThan(100);
    expect(attempt.received.equals(transcript.toClient)).toBe(true);
    expect((await mtgMetrics(s.node))["mtg_domain_fronting"]).toBe((before["mtg_domain_fronting"] ?? 0) + 1);
  });

  it("refuses a replayed ClientHello (anti-replay) and hands it to the fronting site", async () => {
    const before = await mtgMetrics(s.node);
    // The client sends its ClientHello again on a new connection right after the handshake,
    // within mtg's clock tolerance: what a censor replaying a captured hello would send.
    const original = await mtprotoConnect(s.network, link(), "replay");
    expect(original.ok).toBe(true);
    const after = await mtgMetrics(s.node);
    expect(after["mtg_replay_attacks"]).toBe((before["mtg_replay_attacks"] ?? 0) + 1);
    const transcript = await transcriptOf(original.clientHello);
    expect(original.replayReceived!.length).toBeGreaterThan(100);
    expect(original.replayReceived!.equals(transcript.toClient)).toBe(true);
  });

  it("shows a browser (curl with the test internet's root) the fronting site itself, through the censor", async () => {
    const r = await s.network.execIn("client", "curl", [
      "--silent", "--show-error", "--max-time", "15",
      "--cacert", s.frontingSite.caFile,
      "--resolve", `${frontingHost}:443:${s.network.nodeIp}`,
      `https://${frontingHost}/`,
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(FRONTING_PAGE);
  });

  it("keeps no client address on disk, even with mtg's logging at its most verbose", async () => {
    const config = "/etc/lifeline/mtproto.toml";
    await s.node.exec("sed", ["-i", "1a debug = true", config]);
    await s.node.exec("systemctl", ["restart", "lifeline-mtproto.service"]);
    await waitUntil(async () => (await s.node.exec("ss", ["-Hltn", "sport = :443"])).stdout.trim() !== "", eventCapMs, "mtg listening again");
    // The same binary and config, outside the unit, prints client addresses: that is what the unit must discard.
    // Each step waits for what it needs (the listener, the logged line), not for fixed seconds.
    await s.node.exec("sh", ["-c",
      `sed 's/0.0.0.0:443/127.0.0.1:4443/; s/127.0.0.1:3129/127.0.0.1:3130/' ${config} > /run/mtg-debug.toml && ` +
      "(/usr/local/bin/mtg run /run/mtg-debug.toml < /dev/null > /run/mtg-debug.log 2>&1 & echo $! > /run/mtg-debug.pid)"]);
    try {
      await waitUntil(async () => (await s.node.exec("ss", ["-Hltn", "sport = :4443"])).stdout.trim() !== "", eventCapMs, "the debug mtg listening");
      await s.node.exec("curl", ["--silent", "--max-time", "5", "telnet://127.0.0.1:4443"], { input: "" });
      await waitUntil(async () => /127\.0\.0\.1/.test((await s.node.exec("cat", ["/run/mtg-debug.log"])).stdout), eventCapMs, "the debug mtg printing the client's address");
    } finally {
      await s.node.exec("sh", ["-c", "kill $(cat /run/mtg-debug.pid); rm -f /run/mtg-debug.pid /run/mtg-debug.log /run/mtg-debug.toml"]);
    }
    expect((await mtprotoConnect(s.network, link())).ok).toBe(true);
    expect((await mtprotoConnect(s.network, withWrongSecret(link()), "handshake")).ok).toBe(false);
    const client = s.network.clientIp;
    const journal = await s.node.exec("journalctl", ["--no-pager", "-o", "export"], { timeoutMs: 60_000 });
    expect(journal.stdout.length).toBeGreaterThan(1000);
    expect(journal.stdout).not.toContain(client);
    const logs = await s.node.exec("grep", ["-rIl", "--", client, "/var/log"]);
    expect(logs.stdout).toBe("");
  });
});
