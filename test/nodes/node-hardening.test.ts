import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DNS_BANNER, KNOWN_PAGE } from "./harness";
import { curlThroughProxy } from "./support/clients";
import { servesMtproto, tcpProbe } from "./support/mtproto";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { parseSip002, startSsLocal, type ShadowsocksLocal } from "./support/shadowsocks-client";
import { execAsRelay, printableRuns, strangerProbes } from "./support/stranger-probes";

const relays = [
  { kind: "mtproto", unit: "lifeline-mtproto.service", uid: 64101, port: 443, binary: "mtg" },
  { kind: "socks5", unit: "lifeline-socks5.service", uid: 64102, port: 8443, binary: "microsocks", pkg: "microsocks" },
  { kind: "http", unit: "lifeline-http.service", uid: 64103, port: 8080, binary: "squid", pkg: "squid-openssl" },
  { kind: "https", unit: "lifeline-https.service", uid: 64105, port: 4443, binary: "squid", pkg: "squid-openssl" },
  { kind: "shadowsocks", unit: "lifeline-shadowsocks.service", uid: 64104, port: 2053, binary: "ss-server", pkg: "shadowsocks-libev" },
] as const;

// What the censor and a password holder can see and reach on a node from the local-nodes stack
// (issue: "Safe in a real blackout"): probes of every port, the squid cache manager, DNS, the
// relay units' own IP filter with the firewall gone, sandbox scores, and upgrades.
describe("a booted node, seen by a censor and by a password holder", () => {
  let s: NodeSession;
  let ss: ShadowsocksLocal;
  const internet = () => s.network.internet.ip;
  const http = () => s.rendered.links["http"]!;
  const socks = () => s.rendered.links["socks5"]!["socks5"]!;
  const curl = (...args: string[]) => s.network.execIn("client", "curl", ["--silent", "--max-time", "8", ...args]);
  /** Both squid relays as curl proxy arguments: in the clear, and over TLS (pebble's root trusted). */
  const squids = () => [
    { kind: "http", port: 8080, proxy: ["--proxy", http()["url"]!] },
    { kind: "https", port: 4443, proxy: ["--proxy-cacert", s.ca.rootFile, "--proxy", s.rendered.links["https"]!["url"]!] },
  ];

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "hardening" });
    await s.node.waitForCloudInit();
    ss = await startSsLocal(s.network, parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!));
  });
  afterAll(async () => {
    ss?.stop();
    await s?.close();
  });

  it("scores every relay unit at 2.5 or lower in systemd-analyze security", async () => {
    const scores: Record<string, number> = {};
    for (const relay of relays) {
      const r = await s.node.exec("systemd-analyze", ["security", "--no-pager", relay.unit]);
      const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
      scores[relay.unit] = score;
      expect(score, relay.unit).toBeLessThanOrEqual(2.5);
    }
    console.log(`systemd-analyze security: ${JSON.stringify(scores)}`);
  });

  it("gives strangers probing every relay port nothing that names lifeline, the software, the volunteer or the node", async () => {
    const forbidden = ["lifeline", "squid", "microsocks", "shadowsocks", "mtg", s.rendered.node.name, "local node tests"];
    const answered: string[] = [];
    for (const relay of relays) {
      for (const probe of await strangerProbes(s.network.nodeIp, relay.port)) {
        const { received } = await tcpProbe(s.network, s.network.nodeIp, relay.port, probe.bytes, 2500);
        if (received.length > 0) answered.push(`${relay.kind}: ${probe.name}`);
        const words = printableRuns(received).join("\n").toLowerCase();
        for (const word of forbidden) expect(words, `${relay.kind}, ${probe.name}`).not.toContain(word.toLowerCase());
      }
    }
    // Not a vacuous pass: squid answers every probe, squid over TLS a ClientHello (its certificate
    // names only the address and the CA), and mtg hands TLS to its fronting site.
    expect(answered).toEqual(expect.arrayContaining(["http: HTTP GET /", "http: CONNECT without credentials", "https: TLS ClientHello", "mtproto: TLS ClientHello"]));
  });

  it("answers a password holder's cache-manager requests with 403 and no client address, on both squid relays", async () => {
    const pages = ["menu", "client_list", "active_requests", "info", "mem", "counters", "filedescriptors", "ipcache", "fqdncache"];
    for (const { kind, port, proxy } of squids()) {
      expect((await curl(...proxy, `http://${internet()}/`)).stdout, kind).toBe(KNOWN_PAGE);
      for (const page of pages) {
        for (const target of [`cache_object://${s.network.nodeIp}/${page}`, `http://${s.network.nodeIp}:${port}/squid-internal-mgr/${page}`, `http://proxy/squid-internal-mgr/${page}`]) {
          const r = await curl("--include", ...proxy, "--request-target", target, `http://${s.network.nodeIp}/`);
          expect(r.stdout, `${kind}: ${target}`).toMatch(/^HTTP\/1\.1 403 /);
          expect(r.stdout, `${kind}: ${target}`).not.toContain(s.network.clientIp);
        }
      }
    }
  });

  it("refuses, in squid itself, requests to the node, its loopback, private and link-local addresses, on both squid relays", async () => {
    for (const { kind, proxy } of squids()) {
      for (const target of ["http://127.0.0.1/", `http://${s.network.nodeIp}:8443/`, "http://169.254.169.254/latest/user-data", "http://10.1.2.3/", "http://[::1]/"]) {
        const r = await curl("--output", "/dev/null", "--write-out", "%{http_code}", ...proxy, target);
        expect(r.stdout, `${kind}: ${target}`).toBe("403");
      }
    }
  });

  it("lets relays resolve names through the node's resolver, and reach no other DNS server", async () => {
    const dns = s.network.internet.ports.dns;
    expect((await s.node.exec("curl", ["--silent", "--max-time", "3", `telnet://${internet()}:${dns}`], { input: "" })).stdout).toContain(DNS_BANNER);
    const udpAsk = `exec 3<>/dev/udp/${internet()}/${dns}; printf ping >&3; timeout 2 head -c 4 <&3`;
    expect((await s.node.exec("bash", ["-c", udpAsk])).stdout).toBe("ping");
    for (const relay of relays) {
      const resolved = await execAsRelay(s.node, relay.unit, relay.uid, "getent", ["hosts", "deb.debian.org"]);
      expect(resolved.stdout, relay.kind).toMatch(/deb\.debian\.org/);
      const tcp = await execAsRelay(s.node, relay.unit, relay.uid, "curl", ["--silent", "--max-time", "3", `telnet://${internet()}:${dns}`]);
      expect(tcp.stdout, relay.kind).not.toContain(DNS_BANNER);
      const udp = await execAsRelay(s.node, relay.unit, relay.uid, "bash", ["-c", udpAsk]);
      expect(udp.stdout, relay.kind).toBe("");
    }
  });

  it("keeps relays off loopback, the metadata address and the node's own address even with the firewall gone", async () => {
    // Services a relay must never reach, each answering with a secret for root.
    await s.node.exec("ip", ["addr", "add", "169.254.169.254/32", "dev", "lo"]);
    await s.node.exec("systemd-run", ["--unit", "stray-services", "systemd-socket-activate", "-l", "0.0.0.0:80", "--accept", "--inetd", "echo", "node secret"]);
    const targets = ["127.0.0.1", "169.254.169.254", s.network.nodeIp];
    for (const ip of targets) {
      await waitUntil(async () => (await s.node.exec("curl", ["--silent", "--max-time", "2", `telnet://${ip}:80`], { input: "" })).stdout.includes("node secret"), eventCapMs, `root reaching ${ip}:80`);
    }
    await s.node.exec("nft", ["flush", "ruleset"]);
    try {
      for (const proxy of [socks(), ss.socksUrl]) {
        expect((await curlThroughProxy(s.network, proxy)).stdout, `${proxy} still serves`).toBe(KNOWN_PAGE);
        for (const ip of targets) {
          const r = await curl("--proxy", proxy, `telnet://${ip}:80`);
          expect(r.stdout, `${proxy} to ${ip}`).not.toContain("node secret");
        }
      }
    } finally {
      await s.node.exec("nft", ["-f", "/etc/nftables.conf"]);
      await s.node.exec("systemctl", ["stop", "stray-services.socket", "stray-services.service"]);
    }
  });

  it("restarts a relay whose package an upgrade reinstalls, and it serves again; the package's own daemon stays off", async () => {
    const serves: Record<string, () => Promise<boolean>> = {
      socks5: async () => (await curlThroughProxy(s.network, socks())).stdout === KNOWN_PAGE,
      http: async () => (await curlThroughProxy(s.network, http()["url"]!)).stdout === KNOWN_PAGE,
      https: async () => (await curlThroughProxy(s.network, s.rendered.links["https"]!["url"]!, s.ca.rootFile)).stdout === KNOWN_PAGE,
      shadowsocks: async () => (await curlThroughProxy(s.network, ss.socksUrl)).stdout === KNOWN_PAGE,
    };
    for (const relay of relays.filter((r) => "pkg" in r)) {
      const pid = async () => (await s.node.exec("systemctl", ["show", "-p", "MainPID", "--value", relay.unit])).stdout.trim();
      const before = await pid();
      const pkg = (relay as { pkg: string }).pkg;
      const reinstall = await s.node.exec("sh", ["-c", `DEBIAN_FRONTEND=noninteractive apt-get install --reinstall -y -q ${pkg}`], { timeoutMs: 300_000 });
      expect(reinstall.code, reinstall.stderr).toBe(0);
      expect(reinstall.stdout).toContain(`lifeline: restarting ${relay.unit}`);
      await waitUntil(serves[relay.kind]!, eventCapMs, `${relay.kind} serving after the reinstall`);
      expect(await pid()).not.toBe(before);
    }
    for (const own of ["squid.service", "shadowsocks-libev.service"]) {
      expect((await s.node.exec("systemctl", ["is-active", own])).stdout.trim(), own).not.toBe("active");
    }
    expect(await servesMtproto(s.network, s.rendered.links["mtproto"]!["telegram"]!)).toBe(true);
  }, 900_000);
});
