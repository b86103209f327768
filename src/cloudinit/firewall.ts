import { nftPort } from "../abuse/ports";
import type { AbuseControls } from "../plan/types";

/** A relay's user and the ports it needs beyond the stack's allow-list. */
export interface RelayEgress {
  uid: number;
  egressTcpPorts: readonly number[];
}

export interface FirewallSpec {
  /** Ports relays listen on: open to the world, under the per-client connection cap. */
  relayPorts: readonly number[];
  sshEnabled: boolean;
  relays: readonly RelayEgress[];
  abuse: AbuseControls;
}

// Where a relay user must never connect: this node, private networks, and the cloud's
// metadata service (169.254.169.254 serves the user data, relay secrets included).
const internalIpv4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
const internalIpv6 = ["::1", "fc00::/7", "fe80::/10", "ff00::/8"];

const set = (items: ReadonlyArray<string | number>) => `{ ${items.join(", ")} }`;

/**
 * The node's own nftables ruleset. Inbound: only relay ports (and 22 with SSH), each client
 * address capped in connections. Outbound, for relay users only: the allow-list of ports,
 * minus the always-blocked ones, never to internal addresses. Replies to clients are untouched.
 */
export function nftablesRuleset(spec: FirewallSpec): string {
  if (spec.relayPorts.length === 0) throw new Error("a node must run at least one relay");
  const relayPorts = set([...spec.relayPorts].sort((a, b) => a - b));
  const cap = spec.abuse.maxConnectionsPerClient;
  const uids = set(spec.relays.map((r) => r.uid));
  const relayExtras = spec.relays
    .filter((r) => r.egressTcpPorts.length > 0)
    .map((r) => `    meta skuid ${r.uid} tcp dport ${set(r.egressTcpPorts)} accept`);
  return [
    "#!/usr/sbin/nft -f",
    "# lifeline host firewall, generated from the stack config.",
    "flush ruleset",
    "",
    "table inet lifeline {",
    "  set clients_v4 { type ipv4_addr; size 65535; flags dynamic; }",
    "  set clients_v6 { type ipv6_addr; size 65535; flags dynamic; }",
    "",
    "  chain input {",
    "    type filter hook input priority filter; policy drop;",
    "    ct state established,related accept",
    "    ct state invalid drop",
    '    iif "lo" accept',
    // Path-MTU discovery and IPv6 neighbour discovery break without ICMP.
    "    meta l4proto { icmp, ipv6-icmp } accept",
    // DHCP replies, on clouds whose images lease their address.
    "    udp sport 67 udp dport 68 accept",
    `    tcp dport ${relayPorts} ct state new add @clients_v4 { ip saddr ct count over ${cap} } reject with tcp reset`,
    `    tcp dport ${relayPorts} ct state new add @clients_v6 { ip6 saddr ct count over ${cap} } reject with tcp reset`,
    `    tcp dport ${relayPorts} accept`,
    ...(spec.sshEnabled ? ["    tcp dport 22 accept"] : []),
    "  }",
    "",
    "  chain forward {",
    "    type filter hook forward priority filter; policy drop;",
    "  }",
    "",
    "  chain output {",
    "    type filter hook output priority filter; policy accept;",
    "    ct state established,related accept",
    `    meta skuid != ${uids} accept`,
    // Relays resolve names through the node's resolver, which may sit on a private address.
    "    meta l4proto { tcp, udp } th dport 53 accept",
    `    ip daddr ${set(internalIpv4)} reject`,
    `    ip6 daddr ${set(internalIpv6)} reject`,
    `    tcp dport ${set(spec.abuse.blockedPorts.map(nftPort))} reject with tcp reset`,
    ...relayExtras,
    `    tcp dport ${set(spec.abuse.allowedPorts)} accept`,
    "    reject",
    "  }",
    "}",
    "",
  ].join("\n");
}
