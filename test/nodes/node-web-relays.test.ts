import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE, MINING_POOL_BANNER, SMTP_BANNER } from "./harness";
import { curlThroughProxy } from "./support/clients";
import { endLoad, startLoad } from "./load/load-runner";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { parseSip002, startSsLocal, type ShadowsocksLocal } from "./support/shadowsocks-client";

// The browser and app relays (http, shadowsocks) and the abuse controls, on a node from the
// local-nodes stack behind the simulated censor.
describe("web relays and abuse controls on a booted node", () => {
  let s: NodeSession;
  let fromLink: ShadowsocksLocal;
  let fromSip008: ShadowsocksLocal;

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "web" });
    await s.node.waitForCloudInit();
    fromLink = await startSsLocal(s.network, parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!));
    const sip008 = JSON.parse(s.rendered.documents["shadowsocksSip008"]!);
    fromSip008 = await startSsLocal(s.network, sip008.servers[0]);
  });
  afterAll(async () => {
    fromLink?.stop();
    fromSip008?.stop();
    await s?.close();
  });

  const internet = () => s.network.internet.ip;
  const http = () => s.rendered.links["http"]!;
  const socks = () => s.rendered.links["socks5"]!["socks5"]!;
  const curl = (...args: string[]) => s.network.execIn("client", "curl", ["--silent", "--show-error", "--max-time", "10", ...args]);
  /** What a TCP service says first, reached through a proxy (curl's telnet:// over SOCKS/HTTP). */
  const greeting = (proxy: string[], port: number) => curl(...proxy, `telnet://${internet()}:${port}`);

  describe("http (squid)", () => {
    it("curl -x with the stack's http://user:pass@ link fetches a page from the internet", async () => {
      const r = await curl("--proxy", http()["url"]!, `http://${internet()}/`);
      expect(r.stdout).toBe(KNOWN_PAGE);
    });

    it("tunnels HTTPS-style CONNECT to port 443", async () => {
      const r = await curl("--proxytunnel", "--proxy", http()["url"]!, `http://${internet()}:443/`);
      expect(r.stdout).toBe(KNOWN_PAGE);
    });

    it("answers a wrong password with 407", async () => {
      const r = await curl("--output", "/dev/null", "--write-out", "%{http_code}", "--proxy", `http://${http()["user"]}:wrong@${s.network.nodeIp}:8080`, `http://${internet()}/`);
      expect(r.stdout).toBe("407");
    });

    it("the browser fields and the PAC file point at the node's address and port", () => {
      expect([http()["host"], http()["port"]]).toEqual([s.network.nodeIp, "8080"]);
      expect(http()["pac"]).toContain(`return "PROXY ${s.network.nodeIp}:8080";`);
    });
  });

  describe("shadowsocks (shadowsocks-libev)", () => {
    it("ss-local started from the stack's ss:// link reaches the internet through the node", async () => {
      expect((await curlThroughProxy(s.network, fromLink.socksUrl)).stdout).toBe(KNOWN_PAGE);
    });

    it("ss-local started from the stack's SIP008 document does too", async () => {
      expect((await curlThroughProxy(s.network, fromSip008.socksUrl)).stdout).toBe(KNOWN_PAGE);
    });

    it("a client with a wrong password gets nothing through", async () => {
      const wrong = await startSsLocal(s.network, { ...parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!), password: "not-the-password" });
      try {
        const r = await curlThroughProxy(s.network, wrong.socksUrl);
        expect(r.stdout).toBe("");
        expect(r.code).not.toBe(0);
      } finally {
        wrong.stop();
      }
    });
  });

  describe("abuse controls", () => {
    const through = () =>
      [
        ["socks5", ["--proxy", socks()]],
        ["shadowsocks", ["--proxy", fromLink.socksUrl]],
        ["http (CONNECT)", ["--proxytunnel", "--proxy", http()["url"]!]],
      ] as const;

    it("refuses SMTP (25) and a mining pool port (3333) through every relay, while 80 passes", async () => {
      for (const [name, proxy] of through()) {
        expect((await greeting([...proxy], 25)).stdout, `${name} to 25`).not.toContain(SMTP_BANNER);
        expect((await greeting([...proxy], 3333)).stdout, `${name} to 3333`).not.toContain(MINING_POOL_BANNER);
      }
      // Plain HTTP forwarding by squid goes to any port: only the node firewall stops it.
      const forwarded = await curl("--proxy", http()["url"]!, `http://${internet()}:25/`);
      expect(forwarded.stdout).not.toContain(SMTP_BANNER);
      for (const [, proxy] of through().slice(0, 2)) expect((await curl(...proxy, `http://${internet()}/`)).stdout).toBe(KNOWN_PAGE);
    });

    it("refuses SMTP and mining ports to the mtproto relay's user, and lets it reach 443", async () => {
      const asMtproto = (port: number) =>
        s.node.exec("setpriv", ["--reuid=64101", "--regid=64101", "--clear-groups", "curl", "--silent", "--max-time", "5", `telnet://${internet()}:${port}`], { input: "" });
      expect((await asMtproto(25)).stdout).not.toContain(SMTP_BANNER);
      expect((await asMtproto(3333)).stdout).not.toContain(MINING_POOL_BANNER);
      const web = await s.node.exec("setpriv", ["--reuid=64101", "--regid=64101", "--clear-groups", "curl", "--silent", "--max-time", "5", `http://${internet()}:443/`]);
      expect(web.stdout).toBe(KNOWN_PAGE);
      // The same connection as root is not restricted: the rule is about relay users.
      expect((await s.node.exec("curl", ["--silent", "--max-time", "5", `telnet://${internet()}:25`], { input: "" })).stdout).toContain(SMTP_BANNER);
    });

    it("keeps relay users off the node's own loopback services (internal and metadata ranges: see the ruleset unit test)", async () => {
      await s.node.exec("systemd-run", ["--unit", "loopback-service", "systemd-socket-activate", "-l", "127.0.0.1:80", "--accept", "--inetd", "echo", "local secret"]);
      const viaRoot = await s.node.exec("curl", ["--silent", "--max-time", "5", "telnet://127.0.0.1:80"], { input: "" });
      expect(viaRoot.stdout).toContain("local secret");
      for (const [name, proxy] of through()) {
        const r = await curl(...proxy, "telnet://127.0.0.1:80");
        expect(r.stdout, name).not.toContain("local secret");
      }
      await s.node.exec("systemctl", ["stop", "loopback-service"]);
    });

    it("refuses connections beyond the per-client cap (64 here) while other clients still pass", async () => {
      const { result: held, child } = await startLoad(s.network.plan.ns.client, {
        mode: "hold",
        via: { kind: "direct" },
        target: { host: s.network.nodeIp, port: 8443 },
        count: 80,
      });
      try {
        expect(held["held"]).toBe(64);
        expect(held["failed"]).toBe(16);
        expect((await curlThroughProxy(s.network, socks())).code).not.toBe(0);
        // A second address in the same country is its own client.
        await s.network.execIn("client", "ip", ["addr", "add", "198.18.1.3/24", "dev", "eth0"]);
        const other = await curl("--interface", "198.18.1.3", "--proxy", socks(), `http://${internet()}/`);
        expect(other.stdout).toBe(KNOWN_PAGE);
      } finally {
        await endLoad(child);
      }
    });

    it("resets socks5 tunnels beyond its maxConnections (100 here), from any number of clients, and microsocks lives on", async () => {
      const restarts = async () => Number((await s.node.exec("systemctl", ["show", "-p", "NRestarts", "--value", "lifeline-socks5"])).stdout.trim());
      const before = await restarts();
      // Two addresses, each under the per-client cap (64): 120 tunnels together.
      await s.network.execIn("client", "ip", ["addr", "replace", "198.18.1.4/24", "dev", "eth0"]);
      // Each connection costs microsocks a thread from accept on, handshake or not.
      const hold = (from?: string) =>
        startLoad(s.network.plan.ns.client, {
          mode: "hold",
          via: { kind: "direct" },
          target: { host: s.network.nodeIp, port: 8443 },
          count: 60,
          ...(from ? { from } : {}),
        });
      const first = await hold();
      const second = await hold("198.18.1.4");
      try {
        expect(first.result["held"]).toBe(60);
        expect(second.result["held"]).toBe(40);
        expect(second.result["failed"]).toBe(20);
        expect(await restarts()).toBe(before);
      } finally {
        await endLoad(first.child);
        await endLoad(second.child);
      }
      // Room again once tunnels close: the limit counts tunnels open now, not ever.
      await waitUntil(async () => (await curlThroughProxy(s.network, socks())).stdout === KNOWN_PAGE, eventCapMs, "socks5 serving again");
      expect(await restarts()).toBe(before);
    });

    it("caps the node's outbound bandwidth with the configured rate", async () => {
      const classes = await s.node.exec("tc", ["class", "show", "dev", "eth0"]);
      expect(classes.stdout).toMatch(/htb 1:10 root .*rate 500Mbit ceil 500Mbit/);
      expect((await s.node.exec("systemctl", ["is-active", "lifeline-shaping.service"])).stdout.trim()).toBe("active");
    });
  });
});
