import type { FleetNode, FleetRelay, Transport } from "../fleet-input/types";
import { relaysInShareOrder } from "./relay-order";
import type { SubscriptionLinks } from "./subscriptions";
import type { Lang } from "./words/languages";
import { messageWords as m } from "./words/message-words";
import { pageWords } from "./words/page-words";

/** Telegram's limit for one message, in UTF-16 code units (what String.length counts). */
export const telegramMessageLimit = 4096;

export class MessageTooLongError extends Error {}

function relayLine(relay: FleetRelay, lang: Lang): string {
  switch (relay.kind) {
    case "mtproto":
      return `${m.telegram[lang]}: ${relay.telegramWeb}`;
    case "socks5":
      return `${m.telegram[lang]}, SOCKS5: ${relay.telegramWeb}`;
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

/** The line that opens each class below encrypted: the caveat people read before the links. */
const classHeading: Record<Transport, ((lang: Lang) => string) | undefined> = {
  encrypted: undefined,
  "private-link": (lang) => m.privateLink[lang],
  plaintext: (lang) => m.plaintext[lang],
};

/**
 * A node's links as plain text, safest class first, each class below encrypted under its caveat;
 * t.me links, which Telegram shows as tappable, never tg://.
 */
function nodeLines(node: FleetNode, number: number, lang: Lang): string {
  const lines = [`${pageWords.server[lang]} ${number}`];
  let previous: Transport | undefined;
  for (const relay of relaysInShareOrder(node.relays)) {
    const heading = classHeading[relay.transport];
    if (relay.transport !== previous && heading) lines.push(heading(lang));
    previous = relay.transport;
    lines.push(relayLine(relay, lang));
  }
  return lines.join("\n");
}

function message(title: string, nodes: readonly FleetNode[], lang: Lang, what: string, subscription?: SubscriptionLinks): string {
  const mirrors = subscription && subscription.mirrors.length > 0 ? `\n${pageWords.subscriptionMirrors[lang]}\n${subscription.mirrors.join("\n")}` : "";
  const follow = subscription ? [`${pageWords.subscriptionFollows[lang]}\n${subscription.url}${mirrors}`] : [];
  const text = [title, ...follow, ...nodes.map((n, i) => nodeLines(n, i + 1, lang)), m.trust[lang]].join("\n\n");
  if (text.length > telegramMessageLimit) {
    throw new MessageTooLongError(
      `${what} would be ${text.length} characters, over Telegram's limit of ${telegramMessageLimit}: use fewer nodes a page (--per-page)`,
    );
  }
  return `${text}\n`;
}

/** A post for a Telegram channel with one batch's links. Channels are scraped: it burns its slice. */
export function telegramPost(nodes: readonly FleetNode[], lang: Lang, what: string, subscription?: SubscriptionLinks): string {
  return message(m.postTitle[lang], nodes, lang, what, subscription);
}

/** The ready-to-send answer to one person's request. */
export function requestAnswerText(nodes: readonly FleetNode[], lang: Lang): string {
  return message(m.answerTitle[lang], nodes, lang, "the answer");
}
