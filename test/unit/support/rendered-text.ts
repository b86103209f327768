import type { Lang } from "../../../src/share/words/languages";

const entities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/**
 * What a reader of `lang` sees of an HTML fragment, roughly: the other languages' spans, styles
 * and scripts removed, each block element on its own line, entities decoded.
 */
export function visibleText(html: string, lang: Lang): string {
  return html
    .replace(/<(style|script)[^>]*>.*?<\/\1>/gs, "")
    .replace(/<span class="(ru|kk|en)">(.*?)<\/span>/gs, (_, l: string, text: string) => (l === lang ? text : ""))
    .replace(/<\/?(p|div|h[1-6]|li|tr|td|th|figure|figcaption|section|nav|button|a|label|textarea|input)\b[^>]*>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!)
    .replace(/[ \t]+/g, " ");
}

/** The relay cards of a page, in page order, with their kind and transport class. */
export function relayCards(html: string): Array<{ kind: string; transport: string; html: string }> {
  const starts = [...html.matchAll(/<div class="relay[^"]*" data-kind="([a-z0-9]+)" data-transport="([a-z-]+)"/g)];
  return starts.map((m, i) => {
    const end = Math.min(...[starts[i + 1]?.index ?? html.length, html.indexOf("</section>", m.index)].filter((n) => n >= 0));
    return { kind: m[1]!, transport: m[2]!, html: html.slice(m.index, end) };
  });
}

/** Words for encryption in the page languages (ru and kk share the stem шифр). */
const encryptionWord = /encrypt|шифр/i;
const shadowsocksName = /outline|shadowsocks/i;

/**
 * Sentences (a line, or up to . ! ? or a colon) that name Outline or Shadowsocks and call it
 * encrypted in the same breath: the caveat must be said wherever Shadowsocks is.
 */
export function sentencesCallingShadowsocksEncrypted(text: string): string[] {
  return text
    .split(/\n|(?<=[.!?])\s|:\s/)
    .map((s) => s.trim())
    .filter((s) => shadowsocksName.test(s) && encryptionWord.test(s));
}
