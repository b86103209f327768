import { describe, expect, it } from "vitest";
import type { FleetRelay } from "../../src/fleet-input/types";
import { relayKinds } from "../../src/relays/registry";
import { allPage } from "../../src/share/all-page";
import { batchPage } from "../../src/share/batch-page";
import { requestAnswerText, telegramPost } from "../../src/share/message-text";
import { shareFiles } from "../../src/share/share-files";
import { languages, type Lang } from "../../src/share/words/languages";
import { messageWords } from "../../src/share/words/message-words";
import { privateLinkCaveat } from "../../src/share/words/page-words";
import { relayCards, sentencesCallingShadowsocksEncrypted, visibleText } from "./support/rendered-text";
import { useExampleFleet, fixedShareKey } from "./support/share-fixtures";
import { everyKindNode } from "./support/share-nodes";

// A fixed share key: which nodes are reserved (and so on no page) is the same every run.


const exampleFleet = useExampleFleet();

/**
 * The honest class of each kind, written out here rather than read from the code under test:
 * encrypted even against a link holder, hidden only while the link stays private, plaintext.
 */
const honestClass = { mtproto: "encrypted", https: "encrypted", shadowsocks: "private-link", socks5: "plaintext", http: "plaintext", vless: "encrypted" } as const;
const rank = { encrypted: 0, "private-link": 1, plaintext: 2 } as const;

function everyPeopleText(): Array<{ what: string; lang: Lang; text: string; html?: string }> {
  const nodes = [...exampleFleet().nodes.slice(0, 3), everyKindNode(7)];
  return languages.flatMap((lang) => {
    const { files } = shareFiles({ ...exampleFleet(), nodes }, { batches: 2, perPage: 2, lang, key: fixedShareKey, reservedShare: 0.2 });
    const pages = files.filter((f) => f.name.endsWith(".html"));
    return [
      ...pages.map((f) => ({ what: `${f.name} (${lang})`, lang, text: visibleText(f.content, lang), html: f.content })),
      ...files.filter((f) => f.name.startsWith("telegram-")).map((f) => ({ what: `${f.name} (${lang})`, lang, text: f.content })),
      { what: `answer (${lang})`, lang, text: requestAnswerText(nodes.slice(2), lang) },
    ];
  });
}

describe("transport classes: encrypted > private-link > plaintext", () => {
  it("are honest for every relay kind: Shadowsocks is hidden only while its link stays private", () => {
    expect(Object.fromEntries(relayKinds.map((k) => [k.kind, k.transport]))).toEqual(honestClass);
  });

  it("never call Shadowsocks encrypted on a page, post or answer, in any language", () => {
    for (const { what, text } of everyPeopleText()) {
      expect(sentencesCallingShadowsocksEncrypted(text), what).toEqual([]);
    }
    // The check is not blind: a card saying "Outline (Shadowsocks) encrypted" is caught.
    expect(sentencesCallingShadowsocksEncrypted("\nOutline (Shadowsocks) зашифровано\n")).toHaveLength(1);
  });

  it("put the caveat on every Shadowsocks card and before every Shadowsocks key in posts and answers", () => {
    const texts = everyPeopleText();
    let cards = 0;
    let keysInMessages = 0;
    for (const { what, lang, html, text } of texts) {
      if (html) {
        for (const card of relayCards(html).filter((c) => c.kind === "shadowsocks")) {
          cards++;
          expect(card.transport, what).toBe("private-link");
          expect(visibleText(card.html, lang), what).toContain(privateLinkCaveat[lang]);
        }
      } else {
        const keys = text.split("\n").flatMap((line, i) => (line.startsWith("ss://") ? [i] : []));
        keysInMessages += keys.length;
        const lines = text.split("\n");
        // Each server's Shadowsocks key sits under the caveat, with nothing of another class between.
        for (const at of keys) expect(lines.slice(at - 2, at), what).toContain(messageWords.privateLink[lang]);
      }
    }
    expect(cards).toBeGreaterThanOrEqual(6);
    expect(keysInMessages).toBeGreaterThanOrEqual(6);
  });

  it("order every node's relays on pages by class, safest first", () => {
    for (const { what, html } of everyPeopleText()) {
      if (!html) continue;
      for (const section of html.split("<section").slice(1)) {
        const classes = relayCards(`<section${section}`).map((c) => {
          expect(c.transport, `${what} ${c.kind}`).toBe(honestClass[c.kind as keyof typeof honestClass]);
          return rank[c.transport as keyof typeof rank];
        });
        expect(classes, what).toEqual([...classes].sort((a, b) => a - b));
      }
    }
  });

  it("order every server's links in posts and answers by class, safest first", () => {
    const node = everyKindNode(3);
    const marker = (relay: FleetRelay) =>
      relay.kind === "mtproto" || relay.kind === "socks5" ? relay.telegramWeb : relay.kind === "shadowsocks" ? relay.accessKey : relay.kind === "vless" ? relay.vless : relay.password;
    const expected = [...node.relays].sort((a, b) => rank[honestClass[a.kind]] - rank[honestClass[b.kind]]).map((r) => honestClass[r.kind]);
    for (const lang of languages) {
      for (const text of [telegramPost([node], lang, "post"), requestAnswerText([node], lang)]) {
        const seen = [...node.relays].sort((a, b) => text.indexOf(marker(a)) - text.indexOf(marker(b)));
        expect(seen.map((r) => honestClass[r.kind]), lang).toEqual(expected);
      }
    }
  });

  it("never call the organizers' page's Shadowsocks encrypted either", () => {
    const nodes = [everyKindNode(1)];
    const page = allPage({ nodes, batchesOf: new Map(), reserved: [], defaultLang: "en" });
    for (const lang of languages) expect(sentencesCallingShadowsocksEncrypted(visibleText(page, lang))).toEqual([]);
    expect(relayCards(batchPage(nodes, "en")).map((c) => c.kind)).toContain("shadowsocks");
  });
});
