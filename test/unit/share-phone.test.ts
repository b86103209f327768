import { describe, expect, it } from "vitest";
import type { FleetNode, FleetRelay } from "../../src/fleet-input/types";
import { allPage } from "../../src/share/all-page";
import { batchPage } from "../../src/share/batch-page";
import { requestAnswerText, telegramPost } from "../../src/share/message-text";
import { shareFiles } from "../../src/share/share-files";
import { languages } from "../../src/share/words/languages";
import { pageWords } from "../../src/share/words/page-words";
import { visibleText } from "./support/rendered-text";
import { useExampleFleet, fixedShareKey } from "./support/share-fixtures";
import { everyKindNode } from "./support/share-nodes";

const exampleFleet = useExampleFleet();

/** The buttons of a page: links styled as buttons, and real buttons. */
const buttonsOf = (html: string) => [...html.matchAll(/<a class="btn"[^>]*>.*?<\/a>|<button[^>]*>.*?<\/button>/gs)].map((m) => m[0]);

const duplicates = (texts: string[]) => texts.filter((t, i) => texts.indexOf(t) !== i);

function pagesToRead(): Array<{ what: string; html: string }> {
  const nodes = [everyKindNode(1), everyKindNode(2), ...exampleFleet().nodes.slice(0, 3)];
  const { files } = shareFiles({ ...exampleFleet(), nodes }, { batches: 3, perPage: 2, lang: "ru", key: fixedShareKey, reservedShare: 0.2 });
  return [
    { what: "every kind, 2 servers", html: batchPage(nodes.slice(0, 2), "ru") },
    ...files.filter((f) => f.name.endsWith(".html")).map((f) => ({ what: f.name, html: f.content })),
  ];
}

/** What names each relay kind to a reader, in any of the page languages. */
const kindNames: Record<FleetRelay["kind"], RegExp> = {
  mtproto: /telegram|mtproto/i,
  socks5: /socks5/i,
  shadowsocks: /outline|shadowsocks|ss:\/\//i,
  http: /http[ -](proxy|прокси)/i,
  https: /https[ -](proxy|прокси)/i,
  vless: /vless/i,
};

describe("the page on a phone", () => {
  it("gives every button a text of its own, saying what it opens, in every language", () => {
    for (const { what, html } of pagesToRead()) {
      const buttons = buttonsOf(html);
      expect(buttons.length, what).toBeGreaterThan(2);
      for (const lang of languages) {
        const texts = buttons.map((b) => visibleText(b, lang).trim());
        expect(duplicates(texts), `${what} (${lang})`).toEqual([]);
        for (const text of texts) expect(text, what).toMatch(/Telegram|Outline|key|ключ|кілт/);
      }
    }
  });

  it("sees two identical button texts when they are there (the check is not blind)", () => {
    const page = batchPage([everyKindNode(1)], "en");
    const twice = page.replace("Open Telegram proxy (server 1)", "Open backup Telegram proxy, not encrypted (server 1)");
    expect(duplicates(buttonsOf(twice).map((b) => visibleText(b, "en").trim()))).toEqual(["Open backup Telegram proxy, not encrypted (server 1)"]);
  });

  it("puts cards that work on a phone first and the computer-only HTTPS proxy after all of them, under its heading", () => {
    const page = batchPage([everyKindNode(1), everyKindNode(2)], "ru");
    const kinds = [...page.matchAll(/data-kind="([a-z0-9]+)"|<h2 class="computer">/g)].map((m) => m[1] ?? "COMPUTER");
    expect(kinds).toEqual(["mtproto", "shadowsocks", "socks5", "http", "mtproto", "shadowsocks", "socks5", "http", "COMPUTER", "https", "https"]);
  });

  it("says to install Outline right before the Outline button, and offers the key in a read-only field with a copy button", () => {
    const node = everyKindNode(4);
    const key = (node.relays.find((r) => r.kind === "shadowsocks") as Extract<FleetRelay, { kind: "shadowsocks" }>).accessKey;
    const page = batchPage([node], "kk");
    const card = page.slice(page.indexOf('data-kind="shadowsocks"'));
    const text = visibleText(card, "en");
    expect(text.indexOf(pageWords.installOutlineFirst.en)).toBeGreaterThan(0);
    expect(text.indexOf(pageWords.installOutlineFirst.en)).toBeLessThan(text.indexOf("Add server 1 to Outline"));
    expect(card).toContain(`<a class="btn" href="${key}">`);
    expect(card).toContain(`<textarea id="key-1" readonly rows="3" dir="ltr" aria-label="ss://">${key}</textarea><button type="button" class="copy" data-copy="key-1">`);
    expect(visibleText(card, "ru")).toContain("Скопировать ключ сервера 1");
  });

  it("says under each Telegram button, in one line, to use the tg:// link when the button opened a blank page", () => {
    const page = batchPage([everyKindNode(5)], "en");
    for (const relay of everyKindNode(5).relays) {
      if (relay.kind !== "mtproto" && relay.kind !== "socks5") continue;
      const button = page.indexOf(`href="${relay.telegramWeb.replace(/&/g, "&amp;")}"`);
      const after = page.slice(page.lastIndexOf("<a ", button), page.indexOf("<figure>", button));
      expect(visibleText(after, "en").replace(/\s+/g, " ")).toContain(`The button opened a blank page? Tap this link instead: ${relay.telegram}`);
    }
  });

  it("never names a relay kind its nodes do not have", () => {
    const kinds = Object.keys(kindNames) as Array<FleetRelay["kind"]>;
    const only = (have: ReadonlyArray<FleetRelay["kind"]>): FleetNode => ({ ...everyKindNode(6), relays: everyKindNode(6).relays.filter((r) => have.includes(r.kind)) });
    const sets = [...kinds.map((k) => [k]), ["mtproto", "shadowsocks"], ["socks5", "http"], ["https", "http"]] as Array<Array<FleetRelay["kind"]>>;
    for (const have of sets) {
      const node = only(have);
      const page = batchPage([node], "en");
      const people = [
        ...languages.map((lang) => ({ what: `page (${lang})`, text: visibleText(page, lang) })),
        ...languages.map((lang) => ({ what: `post (${lang})`, text: telegramPost([node], lang, "post") })),
      ];
      for (const missing of kinds.filter((k) => !have.includes(k))) {
        // Telegram SOCKS5 is Telegram too: a socks5 page may say Telegram.
        if (missing === "mtproto" && have.includes("socks5")) continue;
        for (const { what, text } of people) expect(text, `${what} of a ${have.join("+")} node names ${missing}`).not.toMatch(kindNames[missing]);
      }
    }
  });

  it("keeps command-line flags out of Telegram posts and answers", () => {
    const nodes = [everyKindNode(7), ...exampleFleet().nodes.slice(0, 2)];
    for (const lang of languages) {
      for (const text of [telegramPost(nodes, lang, "post"), requestAnswerText(nodes.slice(0, 2), lang)]) {
        expect(text).not.toMatch(/(^|\s)--?[a-z]/m);
      }
    }
  });

  it("gives the organizers' page one text per button as well", () => {
    const nodes = [everyKindNode(1), everyKindNode(2), everyKindNode(3)];
    const page = allPage({ nodes, batchesOf: new Map(), reserved: [], defaultLang: "en" });
    for (const lang of languages) expect(duplicates(buttonsOf(page).map((b) => visibleText(b, lang).trim()))).toEqual([]);
  });
});
