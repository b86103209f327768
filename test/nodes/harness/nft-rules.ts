import type { NetworkPlan } from "./network-plan";

/**
 * The censor: between client and node it lets through only new TCP connections to the open
 * ports (plus ICMP and replies). Everything else toward the node is dropped silently, like a
 * shutdown that whitelists a few ports; nmap reports those ports as filtered. The outside
 * checker is not behind the censor: everything from it passes. Addresses in the set
 * `client_blocked` are cut off for the client alone, established connections included (a node
 * the censor has found), while the outside still reaches them.
 */
export function censorRuleset(plan: NetworkPlan, openPorts: readonly number[]): string {
  const { clientInCensor, outsideInCensor } = plan.links;
  return `table inet censor {
  set client_blocked {
    type ipv4_addr;
  }
  chain forward {
    type filter hook forward priority 0; policy drop;
    iifname "${clientInCensor}" ip daddr @client_blocked drop
    ct state established,related accept
    meta l4proto { icmp, ipv6-icmp } accept
    iifname "${outsideInCensor}" accept
    ${clientToNodeRule(plan, openPorts)}
  }
}
`;
}

/** The one rule letting the client reach a node's open ports (none when no port is open). */
export function clientToNodeRule(plan: NetworkPlan, openPorts: readonly number[]): string {
  const { clientInCensor, nodeInCensor } = plan.links;
  return openPorts.length > 0 ? `iifname "${clientInCensor}" oifname "${nodeInCensor}" tcp dport { ${openPorts.join(", ")} } ct state new accept` : "";
}

/**
 * Host-side rules for the node's upstream link. The node may reach the host resolver (DNS) and
 * the Debian archive (HTTP/HTTPS) through masquerade; every other packet from the upstream link
 * is dropped, both when forwarded and when addressed to the host itself.
 */
export function hostEgressRuleset(table: string, plan: NetworkPlan, resolver: string, archive: readonly string[]): string {
  const up = plan.links.hostUpstream;
  const subnet = plan.upstream.subnet;
  const archiveSet = `{ ${archive.join(", ")} }`;
  return `table ip ${table} {
  chain forward {
    type filter hook forward priority -10; policy accept;
    iifname "${up}" ip daddr ${resolver} meta l4proto { tcp, udp } th dport 53 accept
    iifname "${up}" ip daddr ${archiveSet} tcp dport { 80, 443 } accept
    oifname "${up}" ct state established,related accept
    iifname "${up}" counter drop
    oifname "${up}" counter drop
  }
  chain input {
    type filter hook input priority -10; policy accept;
    iifname "${up}" ct state established,related accept
    iifname "${up}" counter drop
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    ip saddr ${subnet} ip daddr ${resolver} meta l4proto { tcp, udp } th dport 53 masquerade
    ip saddr ${subnet} ip daddr ${archiveSet} tcp dport { 80, 443 } masquerade
  }
}
`;
}
