import { escapeHtml, linkToItself, phrase } from "./html";
import { qrFigure } from "./node-card";
import type { SubscriptionLinks } from "./subscriptions";
import { pageWords as w } from "./words/page-words";

/**
 * The batch's subscription, first on its page: one import, and a rotated node reaches the app by
 * itself. The URL as a QR code (apps scan it), one-tap imports, and Outline's ssconf:// key.
 */
export function subscriptionSection(links: SubscriptionLinks): string {
  const button = (href: string, text: typeof w.openInHiddify) => `<a class="btn" href="${escapeHtml(href)}">${phrase(text)}</a>`;
  return (
    `<section class="node subscription"><p><b>${phrase(w.subscriptionFollows)}</b></p>` +
    button(links.hiddify, w.openInHiddify) +
    button(links.v2rayng, w.openInV2rayng) +
    (links.ssconf !== undefined ? button(links.ssconf, w.openInOutline) : "") +
    `<p>${phrase(w.subscriptionApps)}</p>` +
    qrFigure(links.url) +
    (links.mirrors.length > 0 ? `<p>${phrase(w.subscriptionMirrors)}</p>${links.mirrors.map((m) => `<p>${linkToItself(m)}</p>`).join("")}` : "") +
    `</section>`
  );
}
