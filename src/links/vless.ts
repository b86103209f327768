import { encodeQuery } from "./query";

export interface VlessRealityLink {
  userId: string;
  address: string;
  port: number;
  /** The name the client puts in its ClientHello: one the REALITY target answers for. */
  serverName: string;
  publicKey: string;
  shortId: string;
  flow: string;
  /** Shown in the client's server list. */
  label: string;
}

/**
 * The `vless://` share link v2rayNG, v2rayN, Hiddify, Happ and Streisand import (the de-facto
 * format of Xray-core discussion #716): REALITY over plain TCP, a Chrome TLS fingerprint.
 */
export function vlessRealityLink(l: VlessRealityLink): string {
  const query = encodeQuery([
    ["security", "reality"],
    ["sni", l.serverName],
    ["pbk", l.publicKey],
    ["sid", l.shortId],
    ["fp", "chrome"],
    ["flow", l.flow],
    ["type", "tcp"],
    ["encryption", "none"],
  ]);
  return `vless://${l.userId}@${l.address}:${l.port}?${query}#${encodeURIComponent(l.label)}`;
}
