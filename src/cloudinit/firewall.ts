/**
 * The node's own nftables ruleset: drop everything inbound except the given TCP ports.
 * It mirrors the cloud firewall, so a mistake in one still leaves the other closed.
 */
export function nftablesRuleset(openTcpPorts: readonly number[]): string {
  if (openTcpPorts.length === 0) throw new Error("a node must open at least one port");
  return [
    "#!/usr/sbin/nft -f",
    "# lifeline host firewall: admit only this node's relay ports (and SSH when enabled).",
    "flush ruleset",
    "",
    "table inet lifeline {",
    "  chain input {",
    "    type filter hook input priority filter; policy drop;",
    "    ct state established,related accept",
    "    ct state invalid drop",
    '    iif "lo" accept',
    // Path-MTU discovery and IPv6 neighbour discovery break without ICMP.
    "    meta l4proto { icmp, ipv6-icmp } accept",
    // DHCP replies, on clouds whose images lease their address.
    "    udp sport 67 udp dport 68 accept",
    `    tcp dport { ${openTcpPorts.join(", ")} } accept`,
    "  }",
    "",
    "  chain forward {",
    "    type filter hook forward priority filter; policy drop;",
    "  }",
    "}",
    "",
  ].join("\n");
}
