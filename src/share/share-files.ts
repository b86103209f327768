import type { Fleet } from "../fleet-input/types";
import { allPage } from "./all-page";
import { assignBatches } from "./batches";
import { batchPage } from "./batch-page";
import { requestAnswerText, telegramPost } from "./message-text";
import { outlineDocument } from "./outline-document";
import { forbiddenWordsIn } from "./people-facing-words";
import { reservedNodes } from "./request-answer";
import { batchSubscription, subscriptionLinks } from "./subscriptions";
import type { Lang } from "./words/languages";

export interface ShareOptions {
  batches: number;
  perPage: number;
  /** The language pages open in, and the language of Telegram posts. */
  lang: Lang;
  key: Buffer;
  /** Share of nodes kept back from request answers (shown on all.html). */
  reservedShare: number;
  /** Pages may show the whole fleet (`--small-fleet`). */
  wholeFleetPages?: boolean;
  /** Where `sub/` will be served from (`--subscription-base`): pages and posts then show each batch's subscription. */
  subscriptionBase?: URL;
  /** Where else it is served from (`--publish`'s mirrors): fallbacks on pages and posts. */
  mirrorBases?: readonly URL[];
}

export interface ShareFile {
  name: string;
  content: string;
  /** Reaches people inside the country: must not name the project, volunteers or software. */
  peopleFacing: boolean;
}

export class PeopleFacingLeakError extends Error {}

export interface ShareResult {
  files: ShareFile[];
  /** Node addresses on each batch page. */
  pages: string[][];
  /** Each batch's subscription token, batch 1 first. */
  tokens: string[];
}

/** Every file `lifeline share` writes, by name, and the batches. Pure: the caller writes them. */
export function shareFiles(fleet: Fleet, options: ShareOptions): ShareResult {
  // Reserved nodes are on no page, post or outline.json: only where the organizer hands them out (reservedFiles).
  const reserved = reservedNodes(fleet.nodes, options.key, options.reservedShare);
  const byAddress = new Map(fleet.nodes.filter((n) => !reserved.has(n.address)).map((n) => [n.address, n]));
  const pages = assignBatches({ nodes: [...byAddress.keys()], batches: options.batches, perPage: options.perPage, key: options.key, wholeFleetPages: options.wholeFleetPages ?? false });
  const width = Math.max(2, String(pages.length).length);
  const files: ShareFile[] = [];
  const batchesOf = new Map<string, number[]>();
  const tokens: string[] = [];
  pages.forEach((addresses, i) => {
    const number = String(i + 1).padStart(width, "0");
    const nodes = addresses.map((a) => byAddress.get(a)!);
    for (const a of addresses) batchesOf.set(a, [...(batchesOf.get(a) ?? []), i + 1]);
    // Named by the batch's number and the key alone: the same address after any rotation.
    const subscription = batchSubscription(options.key, i + 1, nodes, fleet.stacks);
    tokens.push(subscription.token);
    const links = options.subscriptionBase ? subscriptionLinks(options.subscriptionBase, subscription, options.mirrorBases) : undefined;
    files.push({ name: `batch-${number}.html`, content: batchPage(nodes, options.lang, links), peopleFacing: true });
    files.push({ name: `telegram-${number}.txt`, content: telegramPost(nodes, options.lang, `telegram-${number}.txt`, links), peopleFacing: true });
    files.push({ name: `sub/${subscription.token}`, content: subscription.list, peopleFacing: true });
    if (subscription.sip008 !== undefined) files.push({ name: `sub/${subscription.token}.json`, content: subscription.sip008, peopleFacing: true });
    // Header values for the publisher to send with sub/<token>, not a file to upload.
    files.push({ name: `sub/${subscription.token}.headers.json`, content: `${JSON.stringify(subscription.headers, null, 2)}\n`, peopleFacing: true });
  });
  const kept = fleet.nodes.filter((n) => reserved.has(n.address));
  files.push({ name: "all.html", content: allPage({ nodes: [...byAddress.values()], batchesOf, reserved: kept, defaultLang: options.lang }), peopleFacing: false });
  // Only nodes some page hands out: a node in an outputs file but on no page reaches no Outline client.
  const onPages = new Set(pages.flat());
  const outline = outlineDocument(fleet.nodes.filter((n) => onPages.has(n.address)));
  if (outline !== undefined) files.push({ name: "outline.json", content: outline, peopleFacing: true });
  checkPeopleFacing(files);
  return { files, pages, tokens };
}

function checkPeopleFacing(files: readonly ShareFile[]): void {
  for (const file of files.filter((f) => f.peopleFacing)) {
    const found = forbiddenWordsIn(file.content);
    if (found.length > 0) throw new PeopleFacingLeakError(`${file.name} would contain "${found.join('", "')}"; nothing was written`);
  }
}

/**
 * `share --reserved`: the reserved nodes, each on its own page and message (`reserved-01.html`,
 * `reserved-01.txt`), for the organizer to hand out by hand, one node to one person.
 */
export function reservedFiles(fleet: Fleet, options: Pick<ShareOptions, "key" | "reservedShare" | "lang">): ShareFile[] {
  const reserved = reservedNodes(fleet.nodes, options.key, options.reservedShare);
  const kept = fleet.nodes.filter((n) => reserved.has(n.address));
  const width = Math.max(2, String(kept.length).length);
  const files = kept.flatMap((node, i) => {
    const number = String(i + 1).padStart(width, "0");
    return [
      { name: `reserved-${number}.html`, content: batchPage([node], options.lang), peopleFacing: true },
      { name: `reserved-${number}.txt`, content: requestAnswerText([node], options.lang), peopleFacing: true },
    ];
  });
  checkPeopleFacing(files);
  return files;
}
