import { encodeQuery } from "../links/query";
import type { ReportedKind } from "./relay-kinds";

/** One relay found in what the person was given, ready for `check`'s probe of its kind. */
export interface FoundRelay {
  kind: ReportedKind;
  /** The node's address as the link names it: relays with the same one are one node. */
  host: string;
  port: number;
  /** The fields `src/check/probes` read for this kind (the link itself, or the proxy's fields). */
  fields: Record<string, string>;
}

/** A node: every relay found at one address, in the order first seen. */
export interface FoundNode {
  host: string;
  relays: FoundRelay[];
}

// A link ends at whitespace, a quote, an angle bracket or a closing parenthesis.
const linkPattern = /(?:tg:\/\/(?:proxy|socks)\?|https:\/\/t\.me\/(?:proxy|socks)\?|ss:\/\/|vless:\/\/|(?:socks5h?|socks|https?):\/\/[^\s"'<>()@/]+@)[^\s"'<>()]+/g;

const entities: Readonly<Record<string, string>> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", "#39": "'", "#x27": "'" };

/** Undoes the HTML escaping a share page puts on link text and attributes. */
function unescapeHtml(text: string): string {
  return text.replace(/&(amp|quot|apos|lt|gt|#39|#x27);/g, (_, name: string) => entities[name] ?? "");
}

/** A subscription is one base64 block of links; anything else is read as it is. */
function decodedSubscription(text: string): string {
  const compact = text.replace(/\s+/g, "");
  if (compact.length < 8 || !/^[A-Za-z0-9+/_-]+=*$/.test(compact)) return text;
  const decoded = Buffer.from(compact, compact.includes("-") || compact.includes("_") ? "base64url" : "base64").toString("utf8");
  return decoded.includes("://") ? decoded : text;
}

/** SIP008 (`outline.json`): its servers as `ss://` links. */
function sip008Links(text: string): string[] {
  if (!text.trimStart().startsWith("{")) return [];
  try {
    const document = JSON.parse(text) as { servers?: Array<{ server?: unknown; server_port?: unknown; method?: unknown; password?: unknown }> };
    return (document.servers ?? []).flatMap((s) =>
      typeof s.server === "string" && typeof s.server_port === "number" && typeof s.method === "string" && typeof s.password === "string"
        ? [`ss://${Buffer.from(`${s.method}:${s.password}`, "utf8").toString("base64url")}@${s.server}:${s.server_port}`]
        : [],
    );
  } catch {
    return [];
  }
}

/**
 * A share page shows a browser proxy as a table of host, port, user and password (no link); the
 * encrypted one has a PAC file saying `HTTPS host:port` after it. Each table as a proxy URL.
 */
function pageProxyLinks(html: string): string[] {
  const tables = html.split("<table>").slice(1);
  return tables.flatMap((part) => {
    const [table = "", after = ""] = part.split("</table>");
    const cells = [...table.matchAll(/<td><code[^>]*>([^<]*)<\/code><\/td>/g)].map((m) => unescapeHtml(m[1]!));
    if (cells.length !== 4) return [];
    const [host, port, user, password] = cells as [string, string, string, string];
    const scheme = unescapeHtml(after.split("<table>")[0]!).includes(`HTTPS ${host}:${port}`) ? "https" : "http";
    return [`${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}`];
  });
}

function hostPort(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:/?#]+):(\d{1,5})$/.exec(authority);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
}

/** What a link is, and the probe fields for it; undefined for a link no probe can use. */
export function relayOfLink(link: string): FoundRelay | undefined {
  const telegram = /^(?:tg:\/\/|https:\/\/t\.me\/)(proxy|socks)\?(.*)$/.exec(link);
  if (telegram) {
    const params = new URLSearchParams(telegram[2]);
    const at = hostPort(`${params.get("server") ?? ""}:${params.get("port") ?? ""}`);
    if (!at) return undefined;
    return { kind: telegram[1] === "proxy" ? "mtproto" : "socks5", ...at, fields: { telegram: link } };
  }
  if (link.startsWith("ss://")) {
    const at = hostPort(/^ss:\/\/[^@]+@([^/?#]+)/.exec(link)?.[1] ?? "");
    return at && { kind: "shadowsocks", ...at, fields: { accessKey: link } };
  }
  if (link.startsWith("vless://")) {
    const at = hostPort(/^vless:\/\/[^@]+@([^/?#]+)/.exec(link)?.[1] ?? "");
    return at && { kind: "vless", ...at, fields: { vless: link } };
  }
  const proxy = /^(socks5h?|socks|https?):\/\/([^:@/]*):([^@/]*)@([^/?#]+)\/?$/.exec(link);
  const at = hostPort(proxy?.[4] ?? "");
  if (!proxy || !at) return undefined;
  const user = decodeURIComponent(proxy[2]!);
  const password = decodeURIComponent(proxy[3]!);
  if (proxy[1]!.startsWith("socks")) {
    // check's SOCKS5 probe reads Telegram's form of a SOCKS5 link.
    const query = encodeQuery([["server", at.host], ["port", at.port], ["user", user], ["pass", password]]);
    return { kind: "socks5", ...at, fields: { telegram: `tg://socks?${query}` } };
  }
  return { kind: proxy[1] as "http" | "https", ...at, fields: { host: at.host, port: String(at.port), user, password } };
}

/**
 * Every relay link in a share page, a subscription, a `--for` answer or any text, grouped by
 * node address. A relay given twice (a t.me and a tg:// link) is checked once.
 */
export function nodesInText(text: string): FoundNode[] {
  const plain = decodedSubscription(unescapeHtml(text));
  const links = [...sip008Links(plain), ...(plain.match(linkPattern) ?? []), ...pageProxyLinks(text)];
  const nodes = new Map<string, FoundNode>();
  const seen = new Set<string>();
  for (const link of links) {
    const relay = relayOfLink(link.replace(/[.,;:!?]+$/, ""));
    if (!relay) continue;
    const key = `${relay.kind} ${relay.host} ${relay.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = nodes.get(relay.host) ?? { host: relay.host, relays: [] };
    node.relays.push(relay);
    nodes.set(relay.host, node);
  }
  return [...nodes.values()];
}
