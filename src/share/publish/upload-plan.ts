import type { ShareFile } from "../share-files";
import type { SubscriptionHeaders } from "../subscriptions";
import type { ShareTarget } from "./share-target";

/** One object `share --publish` puts into a share bucket. */
export interface PlannedUpload {
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
  /** User metadata (sent as x-amz-meta-*): the subscription's header values. */
  metadata?: SubscriptionHeaders;
  acl?: "public-read";
}

/** Subscriptions: apps refresh every few hours, so a CDN keeps a rotated node's old links minutes at most. */
export const subscriptionCacheControl = "public, max-age=300";
/** Pages carry the links too: a rotation reaches a reloaded page within the hour. */
export const pageCacheControl = "public, max-age=900";

/** The object key of a batch's page: named by its subscription token, so no batch can be guessed from another. */
export const pageKey = (token: string) => `page/${token}.html`;

/**
 * What goes into a share bucket: each batch's page (under its token, never batch-01.html, which
 * would let a stranger walk every batch), its subscription list with the header values as
 * metadata, and its SIP008 document. Not the Telegram posts, all.html, outline.json (the whole
 * fleet), the `.headers.json` files, nor anything that is not a file `share` wrote.
 */
export function uploadPlan(files: readonly ShareFile[], tokens: readonly string[], acl?: "public-read"): PlannedUpload[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const width = Math.max(2, String(tokens.length).length);
  const withAcl = acl !== undefined ? { acl } : {};
  return tokens.flatMap((token, i) => {
    const page = byName.get(`batch-${String(i + 1).padStart(width, "0")}.html`);
    const list = byName.get(`sub/${token}`);
    const sip008 = byName.get(`sub/${token}.json`);
    const headers = byName.get(`sub/${token}.headers.json`);
    if (page === undefined || list === undefined || headers === undefined) throw new Error(`batch ${i + 1}'s files are missing from the share files`);
    const metadata = JSON.parse(headers.content) as SubscriptionHeaders;
    return [
      { key: pageKey(token), body: page.content, contentType: "text/html; charset=utf-8", cacheControl: pageCacheControl, ...withAcl },
      { key: `sub/${token}`, body: list.content, contentType: "text/plain; charset=utf-8", cacheControl: subscriptionCacheControl, metadata, ...withAcl },
      ...(sip008 !== undefined ? [{ key: `sub/${token}.json`, body: sip008.content, contentType: "application/json", cacheControl: subscriptionCacheControl, ...withAcl }] : []),
    ];
  });
}

/**
 * `published.txt`, for the organizer only (never uploaded): each batch's page and subscription
 * address on every host, the first host first. These are what to hand out instead of files.
 */
export function publishedAddresses(targets: readonly ShareTarget[], tokens: readonly string[]): string {
  const width = Math.max(2, String(tokens.length).length);
  return tokens
    .map((token, i) => {
      const hosts = targets.map((t) => `  page ${new URL(pageKey(token), t.baseUrl).href}\n  subscription ${new URL(`sub/${token}`, t.baseUrl).href}\n`);
      return `batch ${String(i + 1).padStart(width, "0")}\n${hosts.join("")}`;
    })
    .join("");
}
