import { internalIpv4, internalIpv6 } from "../abuse/internal-addresses";
import { nftPort } from "../abuse/ports";
import type { AbuseControls } from "../plan/types";

/** A relay's port, its user and the ports it needs beyond the stack's allow-list. */
export interface RelayEgress {
  port: number;
  uid: number;
  egressTcpPorts: readonly number[];
  /** Connections at once past which new ones are reset (see RelayInstall.admissionLimit). */
  admissionLimit?: number;
}

export interface FirewallSpec {
  /** Ports relays listen on: open to the world, under the per-client connection cap. */
  relayPorts: readonly number[];
  sshEnabled: boolean;
  /**
   * Ports a certificate authority validates on (80, 443): closed, but a set that a relay's
   * certificate unit fills for the seconds a validation takes (`validation_ports`).
   */
  validationTcpPorts: readonly number[];
  relays: readonly RelayEgress[];
  abuse: AbuseControls;
}

/** Where the node's first boot writes the resolver addresses it found (see `resolverSetup`). */
export const nftIncludeDir = "/etc/lifeline/nft.d";

/** Every node's input chain starts the same: replies, loopback, ICMP and DHCP in, the rest dropped. */
export const inputChainStart: readonly string[] = [
  "  chain input {",
  "    type filter hook input priority filter; policy drop;",
  "    ct state established,related accept",
  "    ct state invalid drop",
  '    iif "lo" accept',
  // Path-MTU discovery and IPv6 neighbour discovery break without ICMP.
  "    meta l4proto { icmp, ipv6-icmp } accept",
  // DHCP replies, on clouds whose images lease their address.
  "    udp sport 67 udp dport 68 accept",
];

/** Closes the input chain, forwards nothing, and opens the output chain past replies. */
export const inputEndForwardDropOutputStart: readonly string[] = [
  "  }",
  "",
  "  chain forward {",
  "    type filter hook forward priority filter; policy drop;",
  "  }",
  "",
  "  chain output {",
  "    type filter hook output priority filter; policy accept;",
  "    ct state established,related accept",
];

const set = (items: ReadonlyArray<string | number>) => `{ ${items.join(", ")} }`;

/**
 * The node's own nftables ruleset. Inbound: only relay ports (and 22 with SSH), each client
 * address capped in connections. Outbound, for relay users only: DNS to the node's own
 * resolvers and nowhere else, never this node's own addresses or internal ones, then the
 * allow-list of ports minus the always-blocked ones. Replies to clients are untouched.
 */
export function nftablesRuleset(spec: FirewallSpec): string {
  if (spec.relayPorts.length === 0) throw new Error("a node must run at least one relay");
  const relayPorts = set([...spec.relayPorts].sort((a, b) => a - b));
  const cap = spec.abuse.maxConnectionsPerClient;
  const uids = set(spec.relays.map((r) => r.uid));
  const validating = spec.validationTcpPorts.length > 0;
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
    // Filled at first boot from /etc/resolv.conf (the cloud's resolvers, often on a private address).
    "  set resolvers_v4 { type ipv4_addr; }",
    "  set resolvers_v6 { type ipv6_addr; }",
    ...(validating ? [`  set validation_ports { type inet_service; } # filled by the certificate unit only while a CA validates`] : []),
    "",
    ...inputChainStart,
    `    tcp dport ${relayPorts} ct state new add @clients_v4 { ip saddr ct count over ${cap} } reject with tcp reset`,
    `    tcp dport ${relayPorts} ct state new add @clients_v6 { ip6 saddr ct count over ${cap} } reject with tcp reset`,
    ...spec.relays.flatMap((r) => (r.admissionLimit === undefined ? [] : [`    tcp dport ${r.port} ct state new ct count over ${r.admissionLimit} reject with tcp reset`])),
    `    tcp dport ${relayPorts} accept`,
    ...(validating ? ["    tcp dport @validation_ports accept"] : []),
    ...(spec.sshEnabled ? ["    tcp dport 22 accept"] : []),
    ...inputEndForwardDropOutputStart,
    `    meta skuid != ${uids} accept`,
    // Relays resolve names through the node's own resolvers, which may sit on a private
    // address (AWS: the VPC's +2 or 169.254.169.253): those, on 53, before the internal rejects.
    "    ip daddr @resolvers_v4 meta l4proto { tcp, udp } th dport 53 accept",
    "    ip6 daddr @resolvers_v6 meta l4proto { tcp, udp } th dport 53 accept",
    // Any address of this node, public ones included: no relay may loop back into the node.
    "    fib daddr type local reject",
    `    ip daddr ${set(internalIpv4)} reject`,
    `    ip6 daddr ${set(internalIpv6)} reject`,
    `    tcp dport ${set(spec.abuse.blockedPorts.map(nftPort))} reject with tcp reset`,
    ...relayExtras,
    `    tcp dport ${set(spec.abuse.allowedPorts)} accept`,
    "    reject",
    "  }",
    "}",
    "",
    `include "${nftIncludeDir}/*.nft"`,
    "",
  ].join("\n");
}
