/**
 * Words that must never reach people inside the country (pages, posts, answers, QR codes,
 * outline.json): a seized phone or a scraped channel must not name the project or the software
 * the nodes run. "Shadowsocks", "Outline" and "VLESS" (a protocol apps name) are fine; shadowsocks-libev
 * and Xray are not.
 */
export const forbiddenWords = ["lifeline", "mtg", "squid", "microsocks", "shadowsocks-libev", "xray"] as const;

/** Forbidden words and `extra` (e.g. volunteers' names) found in `text`, as whole words, any case. */
export function forbiddenWordsIn(text: string, extra: readonly string[] = []): string[] {
  return [...forbiddenWords, ...extra].filter((word) => {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "iu").test(text);
  });
}
