import { describe, expect, it } from "vitest";
import { nodeLinks } from "../../src/links/node-links";
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
      },
      socks5: {
        telegram: "tg://socks?server=198.51.100.7&port=8443&user=k3yuser0ab&pass=Zx9PqL2mN8vB4cR7tY1wE5uI",
        telegramWeb: "https://t.me/socks?server=198.51.100.7&port=8443&user=k3yuser0ab&pass=Zx9PqL2mN8vB4cR7tY1wE5uI",
        socks5: "socks5h://k3yuser0ab:Zx9PqL2mN8vB4cR7tY1wE5uI@198.51.100.7:8443",
      },
    });
  });

  it("refuses to build links when a generated secret is missing", () => {
    const node = planOf(baseFleet()).nodes[0]!;
    expect(() => nodeLinks(node, "198.51.100.7", { mtproto: fixedSecrets.mtproto })).toThrow(/socks5 lacks generated secrets: username, password/);
  });
});
