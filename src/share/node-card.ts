import type { FleetNode, FleetRelay } from "../fleet-input/types";
import { code, escapeHtml, linkToItself, phrase } from "./html";
import { qrSvg } from "./qr-svg";
import { relaysInShareOrder } from "./relay-order";
import { plaintextWarningWords, pageWords as w } from "./words/page-words";

function transportBadge(relay: FleetRelay): string {
  return `<small>${phrase(relay.transport === "encrypted" ? w.encrypted : w.plaintext)}</small>`;
}

/** The outputs' warning in English, translated for the other languages. */
function plaintextWarning(relay: FleetRelay): string {
  if (relay.transport !== "plaintext") return "";
  return `<p class="warn">${phrase({ ...plaintextWarningWords, en: relay.warning ?? "" })}</p>`;
}

/** A QR code with the exact text it encodes printed under it (the browser test checks both agree). */
function qrFigure(link: string): string {
  return `<figure>${qrSvg(link)}<figcaption>${linkToItself(link)}</figcaption></figure>`;
}

function telegramBody(web: string, app: string): string {
  // t.me first: it works from any browser or chat app; tg:// only from inside Telegram's reach.
  return (
    `<a class="btn" href="${escapeHtml(web)}">${phrase(w.connectTelegram)}</a>` +
    qrFigure(web) +
    `<p>${phrase(w.orInApp)} ${linkToItself(app)}</p>`
  );
}

/** The fields a browser's proxy settings (or a PAC file and a password prompt) need. */
function proxyFields(relay: { host: string; port: string; user: string; password: string }): string {
  const rows: Array<[keyof typeof w, string]> = [["host", relay.host], ["port", relay.port], ["user", relay.user], ["password", relay.password]];
  return `<table>${rows.map(([label, value]) => `<tr><th>${phrase(w[label])}</th><td>${code(value)}</td></tr>`).join("")}</table>`;
}

function relayBody(relay: FleetRelay): { title: string; body: string } {
  switch (relay.kind) {
    case "mtproto":
      return { title: "Telegram", body: telegramBody(relay.telegramWeb, relay.telegram) };
    case "socks5":
      return { title: "Telegram (SOCKS5)", body: telegramBody(relay.telegramWeb, relay.telegram) };
    case "vless":
      return {
        title: "VLESS",
        body: `<a class="btn" href="${escapeHtml(relay.vless)}">${phrase(w.openVlessApp)}</a><p>${phrase(w.vlessLink)}</p>` + qrFigure(relay.vless),
      };
    case "shadowsocks":
      return {
        title: "Outline (Shadowsocks)",
        body:
          `<a class="btn" href="${escapeHtml(relay.accessKey)}">${phrase(w.openOutline)}</a>` +
          `<p>${phrase(w.accessKey)}</p>` +
          qrFigure(relay.accessKey),
      };
    case "http":
      return { title: phrase(w.browser), body: `${proxyFields(relay)}<p>${phrase(w.noQrForBrowser)}</p>` };
    case "https":
      return {
        title: phrase(w.browserEncrypted),
        body: `${proxyFields(relay)}<p>${phrase(w.pacFile)}</p><p>${code(relay.pac)}</p><p>${phrase(w.noQrForBrowser)}</p>`,
      };
  }
}

/**
 * One node: every relay it offers, encrypted first, each with a tap link and a QR code (the
 * browser proxy has fields to type instead). `heading` is already HTML; `meta` is for organizers.
 */
export function nodeCard(node: FleetNode, heading: string, meta = ""): string {
  const relays = relaysInShareOrder(node.relays).map((relay) => {
    const { title, body } = relayBody(relay);
    const css = relay.transport === "encrypted" ? "relay" : "relay pt";
    return `<div class="${css}"><h3>${title} ${transportBadge(relay)}</h3>${plaintextWarning(relay)}${body}</div>`;
  });
  return `<section class="node"><h2>${heading}</h2>${meta}${relays.join("")}</section>`;
}
