import type { NetworkPlan } from "./network-plan";

/**
 * The censor: between client and node it lets through only new TCP connections to the open
 * ports (plus ICMP and replies). Everything else toward the node is dropped silently, like a
 * shutdown that whitelists a few ports; nmap reports those ports as filtered.
 */
export function censorRuleset(plan: NetworkPlan, openPorts: readonly number[]): string {
  const { clientInCensor, nodeInCensor } = plan.links;
  const allow =
    openPorts.length > 0
      ? `iifname "${clientInCensor}" oifname "${nodeInCensor}" tcp dport { ${openPorts.join(", ")} } ct state new accept`
      : "";
  return `table inet censor {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    meta l4proto { icmp, ipv6-icmp } accept
    ${allow}
  }
}
`;
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
