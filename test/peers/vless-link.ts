/**
 * The client side of a `vless://` link, written from the link format as client apps read it
 * (v2rayNG's and v2rayN's importers: WHATWG URL, query parameters by name), independent of the
 * code that builds links: what the tests configure the real Xray client from.
 */
export interface ParsedVlessLink {
  userId: string;
  address: string;
  port: number;
  security: string | null;
  serverName: string | null;
  publicKey: string | null;
  shortId: string | null;
  fingerprint: string | null;
  flow: string | null;
  type: string | null;
  encryption: string | null;
  label: string;
}

export function parseVlessLink(link: string): ParsedVlessLink {
  if (!link.startsWith("vless://")) throw new Error(`not a vless:// link: ${link.slice(0, 12)}…`);
  const url = new URL(link);
  const q = url.searchParams;
  return {
    userId: decodeURIComponent(url.username),
    address: url.hostname,
    port: Number(url.port),
    security: q.get("security"),
    serverName: q.get("sni"),
    publicKey: q.get("pbk"),
    shortId: q.get("sid"),
    fingerprint: q.get("fp"),
    flow: q.get("flow"),
    type: q.get("type"),
    encryption: q.get("encryption"),
    label: decodeURIComponent(url.hash.slice(1)),
  };
}

/**
 * An Xray client config as an app builds it from the link: a local SOCKS5 inbound on
 * `socksPort`, one VLESS outbound with REALITY. `loglevel` debug shows why a handshake failed.
 */
export function xrayClientConfig(link: ParsedVlessLink, socksPort: number): string {
  return JSON.stringify({
    log: { loglevel: "debug" },
    inbounds: [{ listen: "127.0.0.1", port: socksPort, protocol: "socks", settings: { udp: false } }],
    outbounds: [
      {
        protocol: "vless",
        settings: {
          vnext: [{ address: link.address, port: link.port, users: [{ id: link.userId, flow: link.flow ?? "", encryption: link.encryption ?? "none" }] }],
        },
        streamSettings: {
          network: link.type ?? "tcp",
          security: link.security,
          realitySettings: {
            serverName: link.serverName,
            fingerprint: link.fingerprint,
            publicKey: link.publicKey,
            shortId: link.shortId,
          },
        },
      },
    ],
  });
}
