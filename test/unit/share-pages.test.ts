import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FleetNode } from "../../src/fleet-input/types";
import { allPage } from "../../src/share/all-page";
import { batchPage } from "../../src/share/batch-page";
import { forbiddenWords, forbiddenWordsIn } from "../../src/share/people-facing-words";
import { PeopleFacingLeakError, shareFiles } from "../../src/share/share-files";
import { plaintextWarningWords } from "../../src/share/words/page-words";
import { stackFleet } from "./support/fixtures";
import { useExampleFleet, fixedShareKey } from "./support/share-fixtures";
import { syntheticNode } from "./support/share-nodes";

const exampleFleet = useExampleFleet();

const options = () => ({ batches: 4, perPage: 2, lang: "ru" as const, key: fixedShareKey, reservedShare: 0.2 });

/** The sequence of tags: injected markup would add to it. */
const skeleton = (html: string) => [...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[0]);

describe("share files from the example stacks' real outputs", () => {
  it("name neither the project, the software, the volunteers, the stacks nor the node names on anything people get", () => {
    const { files } = shareFiles(exampleFleet(), options());
    const volunteers = ["example-do", "example-aws", stackFleet("example-do").volunteer, stackFleet("example-aws").volunteer];
    const people = files.filter((f) => f.peopleFacing);
    expect(people.filter((f) => /^sub\/[A-Za-z0-9_-]{22}(\.json|\.headers\.json)?$/.test(f.name)).length).toBeGreaterThanOrEqual(8);
    expect(people.map((f) => f.name).filter((n) => !n.startsWith("sub/"))).toEqual([
      "batch-01.html", "telegram-01.txt", "batch-02.html", "telegram-02.txt",
      "batch-03.html", "telegram-03.txt", "batch-04.html", "telegram-04.txt", "outline.json",
    ]);
    for (const file of people) {
      expect(forbiddenWordsIn(file.content, volunteers), file.name).toEqual([]);
      for (const node of exampleFleet().nodes) expect(file.content, file.name).not.toContain(node.name);
    }
    // The organizers' page does name where each node came from.
    const all = files.find((f) => f.name === "all.html")!.content;
    for (const source of exampleFleet().sources) expect(all).toContain(source);
    for (const node of exampleFleet().nodes) expect(all).toContain(node.name);
  });

  it("refuse to write a people-facing file that would name the software", () => {
    const leaky = { ...exampleFleet(), nodes: exampleFleet().nodes.map((n, i) => (i === 0 ? { ...n, relays: [{ ...n.relays[0]!, telegramWeb: "https://t.me/proxy?server=squid.example" } as FleetNode["relays"][number]] } : n)) };
    expect(() => shareFiles(leaky, options())).toThrow(PeopleFacingLeakError);
    expect(forbiddenWords).toEqual(["lifeline", "mtg", "squid", "microsocks", "shadowsocks-libev", "xray"]);
    expect(forbiddenWordsIn("Outline (Shadowsocks) and MTG and squids")).toEqual(["mtg"]);
  });

  it("show each node's encrypted relays first, t.me before tg://, and the plaintext warning in every language", () => {
    const node = exampleFleet().nodes.find((n) => n.provider === "aws")!;
    const page = batchPage([node], "ru");
    const mtproto = node.relays.find((r) => r.kind === "mtproto")!;
    const socks = node.relays.find((r) => r.kind === "socks5")!;
    const ss = node.relays.find((r) => r.kind === "shadowsocks")!;
    if (mtproto.kind !== "mtproto" || socks.kind !== "socks5" || ss.kind !== "shadowsocks") throw new Error("example-aws relays changed");
    const at = (text: string) => page.indexOf(text.replace(/&/g, "&amp;"));
    expect(at(mtproto.telegramWeb)).toBeGreaterThan(0);
    expect(at(mtproto.telegramWeb)).toBeLessThan(at(mtproto.telegram));
    expect(at(ss.accessKey)).toBeLessThan(at(socks.telegramWeb));
    expect(at(socks.telegramWeb)).toBeLessThan(at(socks.telegram));
    // The page's own words, not the outputs' (untrusted input naming kinds a page may lack).
    for (const lang of ["ru", "kk", "en"] as const) expect(page).toContain(`<span class="${lang}">${plaintextWarningWords[lang].replace(/'/g, "&#39;")}</span>`);
    expect(page).not.toContain(socks.warning!.replace(/'/g, "&#39;"));
    // One plaintext relay (socks5) and one hidden only while its key stays private (shadowsocks).
    expect(page.match(/class="warn"/g)).toHaveLength(2);
  });

  it("put the computer-only HTTPS proxy after every phone card, under a computer heading, with its fields, PAC file and steps last", () => {
    const nodes = exampleFleet().nodes.filter((n) => n.provider === "digitalocean").slice(0, 2);
    const https = nodes[0]!.relays.find((r) => r.kind === "https")!;
    if (https.kind !== "https") throw new Error("example-do relays changed");
    const page = batchPage(nodes, "en");
    const heading = page.indexOf('<h2 class="computer"><span class="ru">');
    const cards = [...page.matchAll(/data-kind="([a-z0-9]+)"/g)].map((m) => ({ kind: m[1], at: m.index }));
    expect(heading).toBeGreaterThan(0);
    // Both servers' phone cards (Telegram, its backup, the HTTP proxy), then both HTTPS cards.
    expect(cards.filter((c) => c.at < heading).map((c) => c.kind)).toEqual(["mtproto", "socks5", "http", "mtproto", "socks5", "http"]);
    expect(cards.filter((c) => c.at > heading).map((c) => c.kind)).toEqual(["https", "https"]);
    expect(page).toContain('<span class="en">On a computer (not on a phone)</span>');
    expect(page).toContain(`<code dir="ltr">${https.password}</code>`);
    expect(page).toContain(`return &quot;HTTPS ${nodes[0]!.address}:8443&quot;;`);
    // The steps: once each, the phone's HTTP proxy first, the HTTPS proxy's last, saying where it does not work.
    const steps = page.slice(page.indexOf('<span class="en">How to connect</span>'));
    expect(steps.indexOf("--proxy-server=https://HOST:PORT")).toBeGreaterThan(0);
    expect(steps.indexOf("Manual proxy configuration")).toBeLessThan(steps.indexOf("Automatic proxy configuration URL"));
    expect(steps).toContain("Not on phones or in Safari");
  });

  it("are self-contained: one inline script allowed by its hash, nothing fetched, a policy that forbids loading anything", () => {
    for (const file of shareFiles(exampleFleet(), options()).files.filter((f) => f.name.endsWith(".html"))) {
      expect(file.content).not.toMatch(/<link|<img|<iframe|\ssrc=|@import|fetch\(|XMLHttpRequest/i);
      // CSS could load too; a PAC file shown as text may say FindProxyForURL(url, host).
      expect(/<style>(.*?)<\/style>/s.exec(file.content)![1]).not.toMatch(/url\(/i);
      const scripts = [...file.content.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
      expect(scripts).toHaveLength(1);
      expect(file.content.match(/<script/g)).toHaveLength(1);
      const hash = createHash("sha256").update(scripts[0]!).digest("base64");
      expect(file.content).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'">`);
    }
  });

  it("open in the language chosen with --lang, and switch to the others by anchor", () => {
    const kk = batchPage(exampleFleet().nodes.slice(0, 1), "kk");
    expect(kk).toContain('<html lang="kk">');
    expect(kk).toContain(".ru,.en{display:none}#ru:target~main .ru,#en:target~main .en{display:inline}#ru:target~main .kk,#en:target~main .kk{display:none}");
    expect(kk).toContain('<a href="#ru">Русский</a><a href="#kk">Қазақша</a><a href="#en">English</a>');
    expect(kk.indexOf('<i id="ru"></i><i id="kk"></i><i id="en"></i><main>')).toBeGreaterThan(0);
  });
});

describe("escaping", () => {
  const hostile = 'x"><b onclick=alert(1)>&amp;<script>\u200F';

  function hostileNode(): FleetNode {
    const node = syntheticNode(1, { name: `node${hostile}`, source: `volunteer${hostile}`, region: hostile, provider: hostile, address: `198.18.0.1${hostile}` });
    return { ...node, relays: node.relays.map((r) => (r.kind === "http" ? { ...r, host: node.address, user: hostile, password: hostile } : r)) };
  }

  function withoutIsolated(html: string): string {
    return html.replace(/<bdi>[^<]*<\/bdi>/g, "").replace(/<code dir="ltr">[^<]*<\/code>/g, "").replace(/"[^"]*"/g, '""');
  }

  it("keeps a node name, host or volunteer name with < & \" or a right-to-left mark from changing the page", () => {
    const benign = syntheticNode(1);
    const view = (node: FleetNode) => ({ nodes: [node], batchesOf: new Map([[node.address, [1]]]), reserved: [] as FleetNode[], defaultLang: "ru" as const });
    for (const [bad, good] of [
      [allPage(view(hostileNode())), allPage(view(benign))],
      [batchPage([hostileNode()], "ru"), batchPage([benign], "ru")],
    ] as const) {
      expect(skeleton(bad)).toEqual(skeleton(good));
      expect(bad.match(/<script/g)).toHaveLength(1);
      expect(bad).not.toContain("<b onclick");
      expect(bad).toContain("&lt;script&gt;");
      // A right-to-left mark only inside an isolating element (<bdi>, dir="ltr") or an attribute.
      expect(withoutIsolated(bad)).not.toContain("\u200F");
    }
    expect(allPage(view(hostileNode()))).toContain(`<bdi>volunteerx&quot;&gt;&lt;b onclick=alert(1)&gt;&amp;amp;&lt;script&gt;\u200F</bdi>`);
  });
});
