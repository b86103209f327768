import type { FleetNode, FleetRelay } from "../fleet-input/types";
import { relaysInShareOrder } from "./relay-order";
import type { Lang } from "./words/languages";
import { messageWords as m } from "./words/message-words";
import { pageWords } from "./words/page-words";

/** Telegram's limit for one message, in UTF-16 code units (what String.length counts). */
export const telegramMessageLimit = 4096;

export class MessageTooLongError extends Error {}

function relayLine(relay: FleetRelay, lang: Lang): string {
  switch (relay.kind) {
    case "mtproto":
      return `Telegram: ${relay.telegramWeb}`;
    case "socks5":
      return `Telegram SOCKS5: ${relay.telegramWeb}`;
    case "vless":
      return `${m.vless[lang]}:\n${relay.vless}`;
    case "shadowsocks":
      return `${m.outline[lang]}:\n${relay.accessKey}`;
    case "http":
      return proxyLine(m.browser[lang], relay);
    case "https":
      return proxyLine(m.browserEncrypted[lang], relay);
  }
}

/** A browser proxy's fields filled into a sentence's {host}, {port}, {user} and {password}. */
function proxyLine(template: string, relay: { host: string; port: string; user: string; password: string }): string {
  return template.replace(/\{(host|port|user|password)\}/g, (_, field: "host" | "port" | "user" | "password") => relay[field]);
}

/** A node's links as plain text; t.me links, which Telegram shows as tappable, never tg://. */
function nodeLines(node: FleetNode, number: number, lang: Lang): string {
  const relays = relaysInShareOrder(node.relays);
  const lines = [`${pageWords.server[lang]} ${number}`];
  let warned = false;
  for (const relay of relays) {
    if (relay.transport === "plaintext" && !warned) {
      lines.push(m.plaintext[lang]);
      warned = true;
    }
    lines.push(relayLine(relay, lang));
  }
  return lines.join("\n");
}

function message(title: string, nodes: readonly FleetNode[], lang: Lang, what: string): string {
  const text = [title, ...nodes.map((n, i) => nodeLines(n, i + 1, lang)), m.trust[lang]].join("\n\n");
  if (text.length > telegramMessageLimit) {
    throw new MessageTooLongError(
      `${what} would be ${text.length} characters, over Telegram's limit of ${telegramMessageLimit}: use fewer nodes a page (--per-page)`,
    );
  }
  return `${text}\n`;
}

/** A post for a Telegram channel with one batch's links. Channels are scraped: it burns its slice. */
export function telegramPost(nodes: readonly FleetNode[], lang: Lang, what: string): string {
  return message(m.postTitle[lang], nodes, lang, what);
}

/** The ready-to-send answer to one person's request. */
export function requestAnswerText(nodes: readonly FleetNode[], lang: Lang): string {
  return message(m.answerTitle[lang], nodes, lang, "the answer");
}
