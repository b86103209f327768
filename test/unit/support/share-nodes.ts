import type { FleetNode, FleetRelay } from "../../../src/fleet-input/types";
import { plaintextWarning } from "../../../src/links/node-links";

/**
 * A fleet node shaped like share's input, for tests of pure share logic at sizes the example
 * stacks do not reach. Tests of the contract read real outputs (share-fixtures.ts) instead.
 */
export function syntheticNode(i: number, overrides: Partial<FleetNode> = {}): FleetNode {
  const address = `198.18.${i >> 8}.${i & 0xff}`;
  return {
    source: `stack volunteer-${i % 3}`,
    name: `do-fra1-${i}`,
    provider: "digitalocean",
    region: "fra1",
    address,
    relays: [
      { kind: "mtproto", transport: "encrypted", telegram: `tg://proxy?server=${address}&port=443&secret=ee${"0a".repeat(16)}`, telegramWeb: `https://t.me/proxy?server=${address}&port=443&secret=ee${"0a".repeat(16)}` },
      { kind: "http", transport: "plaintext", warning: plaintextWarning, host: address, port: "80", user: `user${i}`, password: `Pw${i}xyzXYZ123456789` },
      { kind: "socks5", transport: "plaintext", warning: plaintextWarning, telegram: `tg://socks?server=${address}&port=8443&user=u${i}&pass=p${i}`, telegramWeb: `https://t.me/socks?server=${address}&port=8443&user=u${i}&pass=p${i}` },
      { kind: "shadowsocks", transport: "private-link", accessKey: `ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpwYXNz@${address}:8388#fra1-${i}` },
    ],
    ...overrides,
  };
}

export const syntheticFleet = (n: number): FleetNode[] => Array.from({ length: n }, (_, i) => syntheticNode(i));

/** A node with every relay kind, the https relay included, listed worst first so that only sorting puts them right. */
export function everyKindNode(i: number): FleetNode {
  const node = syntheticNode(i);
  const https: FleetRelay = { kind: "https", transport: "encrypted", host: node.address, port: "8443", user: `web${i}`, password: `Https${i}pw`, pac: `function FindProxyForURL(url, host) { return "HTTPS ${node.address}:8443"; }` };
  return { ...node, relays: [...node.relays].reverse().concat(https) };
}
