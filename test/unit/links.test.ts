import { describe, expect, it } from "vitest";
import { nodeLinks, plaintextWarning, privateLinkWarning } from "../../src/links/node-links";
import { fleetDocuments } from "../../src/links/fleet-documents";
import { sip002Link, sip008Document } from "../../src/links/shadowsocks";
import { telegramProxyLinks, telegramSocksLinks } from "../../src/links/telegram";
import { fakeTlsSecret } from "../../src/relays/mtproto/secret";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { planOf } from "./support/load";

describe("Telegram links", () => {
  it("builds tg://proxy and https://t.me/proxy with the same query", () => {
    expect(telegramProxyLinks("203.0.113.5", 443, "ee00ff")).toEqual({
      tg: "tg://proxy?server=203.0.113.5&port=443&secret=ee00ff",
      tme: "https://t.me/proxy?server=203.0.113.5&port=443&secret=ee00ff",
    });
  });

  it("percent-encodes every query value", () => {
    const links = telegramSocksLinks("203.0.113.5", 1080, "a b&c", "p@ss/w=rd?#%");
    expect(links.tg).toBe("tg://socks?server=203.0.113.5&port=1080&user=a%20b%26c&pass=p%40ss%2Fw%3Drd%3F%23%25");
    const parsed = new URL(links.tme);
    expect(parsed.searchParams.get("user")).toBe("a b&c");
    expect(parsed.searchParams.get("pass")).toBe("p@ss/w=rd?#%");
  });

  it("builds the FakeTLS secret as ee + 16 random bytes + hex of the host", () => {
    expect(fakeTlsSecret("00112233445566778899aabbccddeeff", "example.com")).toBe(
      "ee00112233445566778899aabbccddeeff" + Buffer.from("example.com").toString("hex"),
    );
    expect(() => fakeTlsSecret("abc", "example.com")).toThrow(/16 bytes/);
  });

  it("gives each node its links by relay kind, exactly", () => {
    const node = planOf(baseFleet()).nodes[0]!;
    const host = Buffer.from("www.cloudflare.com").toString("hex");
    expect(nodeLinks(node, "198.51.100.7", fixedSecrets)).toEqual({
      mtproto: {
        telegram: `tg://proxy?server=198.51.100.7&port=443&secret=ee00112233445566778899aabbccddeeff${host}`,
        telegramWeb: `https://t.me/proxy?server=198.51.100.7&port=443&secret=ee00112233445566778899aabbccddeeff${host}`,
        transport: "encrypted",
      },
      socks5: {
        telegram: "tg://socks?server=198.51.100.7&port=8443&user=k3yuser0ab&pass=Zx9PqL2mN8vB4cR7tY1wE5uI",
        telegramWeb: "https://t.me/socks?server=198.51.100.7&port=8443&user=k3yuser0ab&pass=Zx9PqL2mN8vB4cR7tY1wE5uI",
        socks5: "socks5h://k3yuser0ab:Zx9PqL2mN8vB4cR7tY1wE5uI@198.51.100.7:8443",
        transport: "plaintext",
        warning: plaintextWarning,
      },
    });
  });

  it("gives http and shadowsocks relays their links: proxy URL, browser fields, PAC, ss:// key", () => {
    const fleet = baseFleet();
    fleet.openPorts = [443, 8080, 8388];
    fleet.relays = [{ kind: "http", port: 8080 }, { kind: "shadowsocks", port: 8388 }];
    const node = planOf(fleet).nodes[0]!;
    const links = nodeLinks(node, "198.51.100.7", fixedSecrets);
    expect(links["http"]).toEqual({
      url: "http://webuser0cd:Hq7WmZ2xK9pL4vN8cB3rT6yU@198.51.100.7:8080",
      host: "198.51.100.7",
      port: "8080",
      user: "webuser0cd",
      password: "Hq7WmZ2xK9pL4vN8cB3rT6yU",
      pac: 'function FindProxyForURL(url, host) {\n  return "PROXY 198.51.100.7:8080";\n}\n',
      transport: "plaintext",
      warning: plaintextWarning,
    });
    const userinfo = Buffer.from("chacha20-ietf-poly1305:S5sPw0rdAbCdEfGhIjKlMnOpQrStUvWx").toString("base64url");
    // The label on a phone names neither lifeline nor the provider.
    // Every link carries the node's one key: a link holder decrypts captured traffic.
    expect(links["shadowsocks"]).toEqual({ accessKey: `ss://${userinfo}@198.51.100.7:8388#fra1-0`, transport: "private-link", warning: privateLinkWarning });
  });

  it("writes the SIP002 userinfo as unpadded base64url, so +, / and = never need escaping", () => {
    // This password makes standard base64 produce "+" and "/" and padding.
    const link = sip002Link({ server: "203.0.113.9", port: 443, method: "chacha20-ietf-poly1305", password: "??>>~~", name: "a b" });
    const parsed = new URL(link.replace(/^ss:/, "http:"));
    expect(parsed.username).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(parsed.username, "base64url").toString()).toBe("chacha20-ietf-poly1305:??>>~~");
    expect(parsed.hostname).toBe("203.0.113.9");
    expect(parsed.port).toBe("443");
    expect(decodeURIComponent(parsed.hash.slice(1))).toBe("a b");
  });

  it("builds one SIP008 document per stack with a stable UUID per server", () => {
    const servers = [
      { server: "203.0.113.9", port: 443, method: "chacha20-ietf-poly1305", password: "p1", name: "fra1-0" },
      { server: "203.0.113.10", port: 443, method: "chacha20-ietf-poly1305", password: "p2", name: "fra1-1" },
    ];
    const document = JSON.parse(sip008Document(servers));
    expect(document.version).toBe(1);
    expect(document.servers.map((s: any) => [s.remarks, s.server, s.server_port, s.method, s.password])).toEqual([
      ["fra1-0", "203.0.113.9", 443, "chacha20-ietf-poly1305", "p1"],
      ["fra1-1", "203.0.113.10", 443, "chacha20-ietf-poly1305", "p2"],
    ]);
    for (const s of document.servers) expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(sip008Document(servers)).servers[0].id).toBe(document.servers[0].id);
    expect(document.servers[0].id).not.toBe(document.servers[1].id);
  });

  it("offers fleet documents only for kinds a stack runs", () => {
    const plan = planOf(baseFleet());
    expect(fleetDocuments(plan.nodes.map((node) => ({ node, address: "198.51.100.7", secrets: fixedSecrets })))).toEqual({});
  });

  it("refuses to build links when a generated secret is missing", () => {
    const node = planOf(baseFleet()).nodes[0]!;
    expect(() => nodeLinks(node, "198.51.100.7", { mtproto: fixedSecrets.mtproto })).toThrow(/socks5 lacks generated secrets: username, password/);
  });
});
