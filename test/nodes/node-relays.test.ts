import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import { curlThroughProxy, openPortsFromClient, tcpGreeting } from "./support/clients";
import { servesMtproto as mtprotoServes } from "./support/mtproto";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { parseSip002, startSsLocal, type ShadowsocksLocal } from "./support/shadowsocks-client";

// A DigitalOcean-style node: plain-text user data, SSH off; mtproto 443, socks5 8443,
// http 8080, https 4443, shadowsocks 2053 (the web relays have their own files,
// node-web-relays.test.ts and node-https.test.ts).
describe("a node booted from the local-nodes stack, behind the simulated censor", () => {
  let s: NodeSession;
  let ss: ShadowsocksLocal;

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "relay" });
    await s.node.waitForCloudInit();
    ss = await startSsLocal(s.network, parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!));
  });
  afterAll(async () => {
    ss?.stop();
    await s?.close();
  });

  const relayPorts = [443, 2053, 4443, 8080, 8443];
  const socksLink = () => s.rendered.links["socks5"]!["socks5"]!;
  const tgSocks = () => new URL(s.rendered.links["socks5"]!["telegram"]!.replace("tg://", "http://"));
  const servesSocks = async () => (await curlThroughProxy(s.network, socksLink())).stdout === KNOWN_PAGE;
  const servesMtproto = () => mtprotoServes(s.network, s.rendered.links["mtproto"]!["telegram"]!);
  const servesHttp = async () => (await curlThroughProxy(s.network, s.rendered.links["http"]!["url"]!)).stdout === KNOWN_PAGE;
  const servesHttps = async () => (await curlThroughProxy(s.network, s.rendered.links["https"]!["url"]!, s.ca.rootFile)).stdout === KNOWN_PAGE;
  const servesShadowsocks = async () => (await curlThroughProxy(s.network, ss.socksUrl)).stdout === KNOWN_PAGE;

  it("finishes cloud-init without errors", async () => {
    const status = await s.node.exec("cloud-init", ["status", "--long"]);
    expect(status.stdout).toMatch(/status: done/);
    expect(status.stdout).not.toMatch(/errors: \[.+\]/);
    const output = await s.node.exec("cat", ["/var/log/cloud-init-output.log"]);
    expect(output.stdout).toContain("lifeline: setup complete");
  });

  it("socks5: curl through the stack's socks5h:// link fetches a page from the internet", async () => {
    const r = await curlThroughProxy(s.network, socksLink());
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(KNOWN_PAGE);
  });

  it("socks5: the user and password of the tg://socks link work with curl --socks5-hostname", async () => {
    const q = tgSocks().searchParams;
    expect(q.get("server")).toBe(s.network.nodeIp);
    const r = await s.network.execIn("client", "curl", [
      "--silent", "--max-time", "15",
      "--socks5-hostname", `${q.get("server")}:${q.get("port")}`,
      "--proxy-user", `${q.get("user")}:${q.get("pass")}`,
      `http://${s.network.internet.ip}/`,
    ]);
    expect(r.stdout).toBe(KNOWN_PAGE);
  });

  it("socks5: a wrong password is refused", async () => {
    const q = tgSocks().searchParams;
    const r = await s.network.execIn("client", "curl", [
      "--silent", "--show-error", "--max-time", "15",
      "--socks5-hostname", `${s.network.nodeIp}:8443`,
      "--proxy-user", `${q.get("user")}:wrong-${q.get("pass")}`,
      `http://${s.network.internet.ip}/`,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/rejected|auth/i);
  });

  it("runs each relay as its own non-root user", async () => {
    for (const [binary, users] of [
      ["mtg", ["lifeline-mtproto"]],
      ["microsocks", ["lifeline-socks5"]],
      ["squid", ["lifeline-http", "lifeline-https"]],
      ["ss-server", ["lifeline-shadowsocks"]],
    ] as const) {
      const r = await s.node.exec("ps", ["-o", "user=", "-C", binary]);
      expect(r.stdout.trim().split("\n").sort()).toEqual(users);
    }
  });

  it("a full TCP scan from the client finds exactly the relay ports open, though the censor passes 80, 9443 and 22 too", async () => {
    // A stray service on a port the censor lets through: only the node's firewall can hide it.
    await s.node.exec("systemd-run", ["--unit", "stray-listener", "systemd-socket-activate", "-l", "9443", "--accept", "cat"]);
    await waitUntil(async () => (await s.node.exec("ss", ["-Hltn", "sport = :9443"])).stdout.trim() !== "", eventCapMs, "stray listener");
    expect(await openPortsFromClient(s.network)).toEqual(relayPorts);
    const stray = await tcpGreeting(s.network, s.network.nodeIp, 9443);
    expect(stray.code).not.toBe(0);
    await s.node.exec("systemctl", ["stop", "stray-listener"]);
  }, 900_000);

  it("keeps no client address in the journal or under /var/log after traffic through each relay", async () => {
    expect(await servesSocks()).toBe(true);
    expect(await servesMtproto()).toBe(true);
    expect(await servesHttp()).toBe(true);
    expect(await servesHttps()).toBe(true);
    expect(await servesShadowsocks()).toBe(true);
    const client = s.network.clientIp;
    // The relays did see the client: only the units' settings keep it off disk (node-mtproto.test.ts
    // shows mtg printing client addresses when its output is not discarded).
    const journal = await s.node.exec("journalctl", ["--no-pager", "-o", "export"], { timeoutMs: 60_000 });
    expect(journal.code).toBe(0);
    expect(journal.stdout.length).toBeGreaterThan(1000);
    expect(journal.stdout).not.toContain(client);
    const logs = await s.node.exec("grep", ["-rIl", "--", client, "/var/log"]);
    expect(logs.stdout).toBe("");
    expect(logs.code).toBe(1);
    const persistent = await s.node.exec("test", ["-e", "/var/log/journal"]);
    expect(persistent.code).not.toBe(0);
  });

  it("kill -9 of a relay: it serves again within seconds", async () => {
    const mainPid = async (unit: string) => (await s.node.exec("systemctl", ["show", "-p", "MainPID", "--value", unit])).stdout.trim();
    for (const [unit, serves] of [
      ["lifeline-mtproto", servesMtproto],
      ["lifeline-socks5", servesSocks],
      ["lifeline-http", servesHttp],
      ["lifeline-https", servesHttps],
      ["lifeline-shadowsocks", servesShadowsocks],
    ] as const) {
      const before = await mainPid(unit);
      await s.node.exec("kill", ["-9", before]);
      const seconds = await waitUntil(async () => (await mainPid(unit)) !== before && (await serves()), 15_000, `${unit} serving again`);
      expect(seconds).toBeLessThan(15);
    }
  });

  it("after a reboot the relays serve again and cloud-init does not run twice", async () => {
    await s.node.reboot();
    await waitUntil(servesSocks, eventCapMs, "socks5 after reboot");
    await waitUntil(servesMtproto, eventCapMs, "mtproto after reboot");
    await waitUntil(servesHttp, eventCapMs, "http after reboot");
    // With the certificate it got at first boot: no new one is needed, none is asked for.
    await waitUntil(servesHttps, eventCapMs, "https after reboot");
    await waitUntil(servesShadowsocks, eventCapMs, "shadowsocks after reboot");
    const output = await s.node.exec("cat", ["/var/log/cloud-init-output.log"]);
    expect(output.stdout.match(/lifeline: setup complete/g)).toHaveLength(1);
    const status = await s.node.exec("cloud-init", ["status"]);
    expect(status.stdout).toMatch(/status: done/);
    expect(await openPortsFromClient(s.network)).toEqual(relayPorts);
  }, 900_000);
});
