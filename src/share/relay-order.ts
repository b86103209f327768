import type { FleetRelay } from "../fleet-input/types";
import { relayTransports } from "../relays/types";

// Within each transport class, the kind most people can use with one tap comes first; the browser
// proxies, which take settings typed by hand, after it.
const kindOrder: Record<FleetRelay["kind"], number> = { mtproto: 0, https: 1, shadowsocks: 2, socks5: 3, http: 4 };

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
