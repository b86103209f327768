import type { FleetRelay, Transport } from "../fleet-input/types";
import { code, escapeHtml, linkToItself, phrase } from "./html";
import { qrSvg } from "./qr-svg";
import type { Phrase } from "./words/languages";
import { plaintextWarningWords, privateLinkCaveat, pageWords as w } from "./words/page-words";

/** What a card says about its transport class: Shadowsocks is never "encrypted" without its caveat. */
const classWords: Record<Transport, { badge: Phrase; caveat?: Phrase; css: string }> = {
  encrypted: { badge: w.encrypted, css: "relay" },
  "private-link": { badge: w.privateLink, caveat: privateLinkCaveat, css: "relay pl" },
  plaintext: { badge: w.plaintext, caveat: plaintextWarningWords, css: "relay pt" },
};

/** A phrase with the server's number in place of {n}: what makes each button's text its own. */
function numbered(p: Phrase, n: number): Phrase {
  return { ru: p.ru.replace("{n}", String(n)), kk: p.kk.replace("{n}", String(n)), en: p.en.replace("{n}", String(n)) };
}

/** A QR code with the exact text it encodes printed under it (the browser test checks both agree). */
export function qrFigure(link: string): string {
  return `<figure>${qrSvg(link)}<figcaption>${linkToItself(link)}</figcaption></figure>`;
}

function telegramBody(web: string, app: string, button: Phrase): string {
  // t.me first: it works from any browser or chat app. Where it opens a blank page (a browser
  // that does not hand t.me to the app), the tg:// link right under it opens Telegram itself.
  return (
    `<a class="btn" href="${escapeHtml(web)}">${phrase(button)}</a>` +
    `<p>${phrase(w.blankPage)} ${linkToItself(app)}</p>` +
    qrFigure(web)
  );
}

/**
 * The Outline button with what to do before it, and the key in a read-only field with a copy
 * button: the field alone still lets a phone select and copy it where scripts do not run.
 */
function outlineBody(accessKey: string, n: number): string {
  const field = `key-${n}`;
  return (
    `<p>${phrase(w.installOutlineFirst)}</p>` +
    `<a class="btn" href="${escapeHtml(accessKey)}">${phrase(numbered(w.addToOutline, n))}</a>` +
    `<p>${phrase(w.orCopyKey)}</p>` +
    `<textarea id="${field}" readonly rows="3" dir="ltr" aria-label="ss://">${escapeHtml(accessKey)}</textarea>` +
    `<button type="button" class="copy" data-copy="${field}">${phrase(numbered(w.copyKey, n))}</button>` +
    qrFigure(accessKey)
  );
}

/** The fields a browser's proxy settings (or a PAC file and a password prompt) need. */
function proxyFields(relay: { host: string; port: string; user: string; password: string }): string {
  const rows: Array<[keyof typeof w, string]> = [["host", relay.host], ["port", relay.port], ["user", relay.user], ["password", relay.password]];
  return `<table>${rows.map(([label, value]) => `<tr><th>${phrase(w[label])}</th><td>${code(value)}</td></tr>`).join("")}</table>`;
}

function relayBody(relay: FleetRelay, n: number): { title: string; body: string } {
  switch (relay.kind) {
    case "mtproto":
      return { title: "Telegram", body: telegramBody(relay.telegramWeb, relay.telegram, numbered(w.openTelegram, n)) };
    case "socks5":
      return { title: "Telegram (SOCKS5)", body: telegramBody(relay.telegramWeb, relay.telegram, numbered(w.openTelegramBackup, n)) };
    case "vless":
      return {
        title: "VLESS",
        body: `<a class="btn" href="${escapeHtml(relay.vless)}">${phrase(numbered(w.openVlessApp, n))}</a><p>${phrase(w.vlessLink)}</p>` + qrFigure(relay.vless),
      };
    case "shadowsocks":
      return { title: "Outline (Shadowsocks)", body: outlineBody(relay.accessKey, n) };
    case "http":
      return { title: phrase(w.browser), body: `${proxyFields(relay)}<p>${phrase(w.noQrForBrowser)}</p>` };
    case "https":
      return {
        title: phrase(w.browserEncrypted),
        body: `${proxyFields(relay)}<p>${phrase(w.pacFile)}</p><p>${code(relay.pac)}</p><p>${phrase(w.noQrForBrowser)}</p>`,
      };
  }
}

/** One relay's card: title, class badge, the class's caveat, then how to use it. */
function relayCard(relay: FleetRelay, n: number): string {
  const { title, body } = relayBody(relay, n);
  const { badge, caveat, css } = classWords[relay.transport];
  const warning = caveat ? `<p class="warn">${phrase(caveat)}</p>` : "";
  return `<div class="${css}" data-kind="${relay.kind}" data-transport="${relay.transport}"><h3>${title} <small>${phrase(badge)}</small></h3>${warning}${body}</div>`;
}

export interface NodeCardParts {
  /** Already HTML. */
  heading: string;
  /** The server's number on the page: in every button's text, so no two buttons read the same. */
  number: number;
  /** The relays to show, already in share order (see relay-order.ts). */
  relays: readonly FleetRelay[];
  /** For organizers. */
  meta?: string;
}

/**
 * One node: the given relays, each with a tap link and a QR code (the browser proxies have
 * fields to type instead).
 */
export function nodeCard({ heading, number, relays, meta = "" }: NodeCardParts): string {
  return `<section class="node"><h2>${heading}</h2>${meta}${relays.map((r) => relayCard(r, number)).join("")}</section>`;
}

/** The heading over the relays that work only on a computer, placed after every phone card. */
export function computerHeading(): string {
  return `<h2 class="computer">${phrase(w.onComputer)}</h2><p>${phrase(w.onComputerIntro)}</p>`;
}
