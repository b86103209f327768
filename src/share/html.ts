import { htmlText } from "../sinks/html-text";
import { languages, type Phrase } from "./words/languages";

/** Text safe in element content and in double-quoted attributes (the HTML sink). */
export const escapeHtml = htmlText;

/**
 * A value that came from the outputs (names, hosts): escaped, and isolated with <bdi> so that a
 * right-to-left mark inside it cannot reorder the text around it.
 */
export function isolated(text: string): string {
  return `<bdi>${escapeHtml(text)}</bdi>`;
}

/** A phrase in every language; CSS shows the chosen one (see pageStyle). */
export function phrase(p: Phrase): string {
  return languages.map((lang) => `<span class="${lang}">${escapeHtml(p[lang])}</span>`).join("");
}

/** Machine text (links, passwords) left to right; `dir` also isolates it from bidi marks inside. */
export function code(text: string): string {
  return `<code dir="ltr">${escapeHtml(text)}</code>`;
}

/** A link whose text is its own address: what QR codes are checked against. */
export function linkToItself(url: string): string {
  return `<a href="${escapeHtml(url)}">${code(url)}</a>`;
}
