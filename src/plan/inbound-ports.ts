import type { PlannedNode } from "./types";

/** An inclusive range of TCP ports; one port is a range of one. */
export interface TcpPortRange {
  from: number;
  to: number;
}

/**
 * What the cloud firewall or security group opens: a relay node's own ports (relays, 22 with SSH
 * on, and the ports a certificate authority validates on, from outside the blackout), or every
 * port for a probe, whose own nftables then keeps management ports apart.
 */
export function cloudFirewallTcpRanges(node: PlannedNode): TcpPortRange[] {
  if (node.role === "probe") return [{ from: 1, to: 65535 }];
  return [...node.openTcpPorts, ...node.validationTcpPorts].map((port) => ({ from: port, to: port }));
}
