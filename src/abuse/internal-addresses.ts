/**
 * Where a relay must never connect: this node, private networks, carrier-grade NAT, link-local
 * (169.254.169.254 is the cloud's metadata service: it serves the user data, relay secrets
 * included), multicast and reserved space. Both walls use it: the node's nftables, and each
 * relay unit's own IP filter (IPAddressDeny=) in case the firewall is ever gone.
 */
export const internalIpv4 = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3",
] as const;
export const internalIpv6 = ["::1/128", "fc00::/7", "fe80::/10", "ff00::/8"] as const;
