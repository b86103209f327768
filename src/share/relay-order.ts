import type { FleetRelay } from "../fleet-input/types";
import { relayTransports } from "../relays/types";

// Within each transport class: vless first (a probe sees a real website, and one app carries the
// whole device), then the kind most people can use with one tap; the browser proxies, which take
// settings typed by hand, after it.
const kindOrder: Record<FleetRelay["kind"], number> = { vless: 0, mtproto: 1, https: 2, shadowsocks: 3, socks5: 4, http: 5 };

/** A relay's rank: its transport class first (encrypted, private-link, plaintext), then its kind. */
export function shareRank(relay: FleetRelay): number {
  return relayTransports.indexOf(relay.transport) * 10 + kindOrder[relay.kind];
}

/**
 * Encrypted relays first (what to hand out), then those hidden only while the link stays private
 * (Shadowsocks), plaintext ones last (a last resort).
 */
export function relaysInShareOrder(relays: readonly FleetRelay[]): FleetRelay[] {
  return [...relays].sort((a, b) => shareRank(a) - shareRank(b));
}

// The HTTPS proxy needs a PAC file or a start-up flag: no phone's proxy settings take one.
const computerOnly: ReadonlySet<FleetRelay["kind"]> = new Set(["https"]);

/** A node's relays split by where they work, each part in share order: phone cards come first on a page. */
export function relaysByDevice(relays: readonly FleetRelay[]): { phone: FleetRelay[]; computer: FleetRelay[] } {
  const ordered = relaysInShareOrder(relays);
  return { phone: ordered.filter((r) => !computerOnly.has(r.kind)), computer: ordered.filter((r) => computerOnly.has(r.kind)) };
}
