import { mtgVersionAtLeast } from "./release";

export interface MtgConfigInput {
  /** The FakeTLS secret (`ee` + key + fronting host, hex). */
  secret: string;
  port: number;
  maxConnections: number;
  /** The DNS-over-HTTPS resolver mtg asks instead of the system's (it has no other kind before 2.1.13). */
  dnsOverHttpsIp: string;
  /** The mtg version the node runs: a few keys only exist in newer ones. */
  version: string;
}

/** mtg reads `concurrency` only from 2.2.4 on; older releases always allow 4096 connections. */
export const mtgConcurrencySince = "2.2.4";
export const mtgFixedConcurrency = 4096;

/** Connections the node's mtg will really serve at once, for this version and setting. */
export function mtgEffectiveConcurrency(version: string, maxConnections: number): number {
  return mtgVersionAtLeast(version, mtgConcurrencySince) ? maxConnections : mtgFixedConcurrency;
}

/**
 * The mtg TOML for a node. Every key here means the same to mtg 2.1.7 and to 2.2.8 (production
 * and the node tests), checked against both versions' config parsers; where a version would
 * ignore a key it is left out rather than written for nothing (docs/node.md, "mtg versions").
 */
export function mtgConfigToml(input: MtgConfigInput): string {
  return [
    "# mtg v2 configuration",
    `secret = "${input.secret}"`,
    `bind-to = "0.0.0.0:${input.port}"`,
    ...(mtgVersionAtLeast(input.version, mtgConcurrencySince) ? [`concurrency = ${input.maxConnections}`] : []),
    // Telegram's data centres are reached over IPv4 first: not every cloud gives a node IPv6.
    'prefer-ip = "prefer-ipv4"',
    "",
    // mtg resolves the fronting host through DNS-over-HTTPS, never the system resolver. Its
    // default changed (9.9.9.9 up to 2.1, 1.1.1.1 in 2.2): named here, both versions agree.
    "[network]",
    `doh-ip = "${input.dnsOverHttpsIp}"`,
    "",
    "[defense.anti-replay]",
    "enabled = true",
    'max-size = "16mib"',
    "",
    // The blocklist is downloaded from third parties at start; a node should not depend on that.
    "[defense.blocklist]",
    "enabled = false",
    "",
    // Counters without identities (connections, fronting, replays), on the node's loopback only.
    "[stats.prometheus]",
    "enabled = true",
    'bind-to = "127.0.0.1:3129"',
    "",
  ].join("\n");
}
