import { createHmac } from "node:crypto";
import type { FleetNode, StackFacts } from "../fleet-input/types";
import { endOfDayUtc } from "../plan/expand";
import { outlineDocument } from "./outline-document";

/**
 * Links a subscription carries: what v2rayNG, v2rayN, Hiddify, Happ, Streisand and NekoBox
 * import from a base64 list. Not Telegram's tg:// and t.me links (no such app takes them, and
 * Telegram has no subscriptions), nor the browser HTTP/HTTPS proxies (their links exist only as
 * host, port, user and password fields for a browser; as http:// outbounds these apps would
 * send plaintext or need a PAC file).
 */
export function importableLinks(node: FleetNode): string[] {
  return node.relays.flatMap((relay) => (relay.kind === "vless" ? [relay.vless] : relay.kind === "shadowsocks" ? [relay.accessKey] : []));
}

/** Hours between refreshes the apps are told (`profile-update-interval`): rotations reach people within this. */
export const refreshHours = 6;

/** Characters of the address token: 22 base64url characters, 132 bits of the HMAC. */
const tokenLength = 22;

/**
 * A batch subscription's path token: HMAC-SHA256(share key, "subscription\0" + batch number),
 * base64url, truncated. From the key and the batch alone, never from a node, so the same URL
 * serves the batch's new links after a rotation, and the token says nothing of any node.
 */
export function subscriptionToken(key: Buffer, batchNumber: number): string {
  return createHmac("sha256", key).update(`subscription\u0000batch ${batchNumber}`).digest("base64url").slice(0, tokenLength);
}

/** What the publisher sends as HTTP headers with `sub/<token>` (never uploaded as a file). */
export interface SubscriptionHeaders {
  "subscription-userinfo": string;
  "profile-update-interval": string;
}

export interface BatchSubscription {
  token: string;
  /** `sub/<token>`: standard base64 of the links, one a line. */
  list: string;
  /** `sub/<token>.json`: SIP008 of the batch's Shadowsocks nodes, absent without any. */
  sip008?: string;
  headers: SubscriptionHeaders;
}

/**
 * The moment the batch's last node stops serving, in Unix seconds: the latest end of an `expires`
 * day among the stacks its nodes come from; 0 (no expiry shown, as panels write it) when a stack
 * has no `expires` in its outputs (then the date is unknown, not "never").
 */
export function batchExpiry(nodes: readonly FleetNode[], stacks: readonly StackFacts[]): number {
  let latest = 0;
  for (const node of nodes) {
    const expires = stacks.find((s) => s.source === node.source)?.expires;
    if (expires === undefined) return 0;
    latest = Math.max(latest, Date.parse(endOfDayUtc(expires)) / 1000);
  }
  return latest;
}

/** One batch's subscription documents, only from its own nodes (already without reserved or blocked ones). */
export function batchSubscription(key: Buffer, batchNumber: number, nodes: readonly FleetNode[], stacks: readonly StackFacts[]): BatchSubscription {
  const links = nodes.flatMap(importableLinks);
  const sip008 = outlineDocument(nodes);
  return {
    token: subscriptionToken(key, batchNumber),
    list: Buffer.from(links.join("\n"), "utf8").toString("base64"),
    ...(sip008 !== undefined ? { sip008 } : {}),
    headers: {
      // Traffic is not counted per person: zeros, as the Clash format allows.
      "subscription-userinfo": `upload=0; download=0; total=0; expire=${batchExpiry(nodes, stacks)}`,
      "profile-update-interval": String(refreshHours),
    },
  };
}

/** Where the subscriptions will be served from (`--subscription-base`): an https URL, or why not. */
export function parseSubscriptionBase(text: string): URL | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "is not a URL" };
  }
  if (url.protocol !== "https:") return { problem: "must start with https:// (apps refuse or warn on plain http, and the censor reads it)" };
  if (url.username !== "" || url.password !== "") return { problem: "must not hold a user or password" };
  if (url.search !== "" || url.hash !== "") return { problem: "must have no ?query or #fragment" };
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** The ways to import one batch's subscription, each a well-formed URL. */
export interface SubscriptionLinks {
  url: string;
  hiddify: string;
  v2rayng: string;
  /** Outline's dynamic key, absent when the batch has no Shadowsocks node. */
  ssconf?: string;
  /** The same subscription on the mirrors, for when `url`'s host is blocked. */
  mirrors: string[];
}

export function subscriptionLinks(base: URL, subscription: Pick<BatchSubscription, "token" | "sip008">, mirrorBases: readonly URL[] = []): SubscriptionLinks {
  const url = new URL(`sub/${subscription.token}`, base).href;
  const sip008 = new URL(`sub/${subscription.token}.json`, base);
  return {
    url,
    // Hiddify takes the URL as it is after import/ (its own format); the URL is already escaped.
    hiddify: `hiddify://import/${url}`,
    v2rayng: `v2rayng://install-config?url=${encodeURIComponent(url)}`,
    // ssconf:// is https:// with Outline's scheme (Outline fetches it over https).
    ...(subscription.sip008 !== undefined ? { ssconf: `ssconf://${sip008.host}${sip008.pathname}` } : {}),
    mirrors: mirrorBases.map((mirror) => new URL(`sub/${subscription.token}`, mirror).href),
  };
}
