import { probeListenerPort } from "../probe/protocol";
import { inputChainStart, inputEndForwardDropOutputStart } from "./firewall";

export interface ProbeFirewallSpec {
  sshEnabled: boolean;
  /** The listener's uid: it only answers, never opens a connection of its own. */
  listenerUid: number;
}

/**
 * A probe node's nftables ruleset. One redirect sends every TCP port but the management ones (22
 * with SSH on) to the one listener, which reads the dialled port back from the connection's
 * original destination: no 65,535 sockets. The resolver sets exist because the shared host step
 * fills them; nothing on a probe uses them.
 */
export function probeFirewallRuleset(spec: ProbeFirewallSpec): string {
  const management = spec.sshEnabled ? [22] : [];
  const redirectMatch = management.length > 0 ? `tcp dport != { ${management.join(", ")} }` : "meta l4proto tcp";
  return [
    "#!/usr/sbin/nft -f",
    "# lifeline probe firewall, generated from the stack config.",
    "flush ruleset",
    "",
    "table inet lifeline {",
    "  set resolvers_v4 { type ipv4_addr; }",
    "  set resolvers_v6 { type ipv6_addr; }",
    "",
    "  chain prerouting {",
    "    type nat hook prerouting priority dstnat; policy accept;",
    `    ${redirectMatch} redirect to :${probeListenerPort}`,
    "  }",
    "",
    ...inputChainStart,
    `    tcp dport ${probeListenerPort} accept`,
    ...(spec.sshEnabled ? ["    tcp dport 22 accept"] : []),
    ...inputEndForwardDropOutputStart,
    `    meta skuid ${spec.listenerUid} reject`,
    "  }",
    "}",
    "",
    'include "/etc/lifeline/nft.d/*.nft"',
    "",
  ].join("\n");
}
