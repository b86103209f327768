import type { FleetRelay } from "../fleet-input/types";

// Within each transport, the kind most people can use with one tap comes first; the encrypted
// browser proxy (https) comes before every plaintext one, the plaintext browser proxy (http) last.
const kindOrder: Record<FleetRelay["kind"], number> = { mtproto: 0, shadowsocks: 1, https: 2, socks5: 3, http: 4 };

/** Encrypted relays first (what to hand out), plaintext ones last (a last resort). */
export function relaysInShareOrder(relays: readonly FleetRelay[]): FleetRelay[] {
  return [...relays].sort(
    (a, b) => Number(a.transport === "plaintext") - Number(b.transport === "plaintext") || kindOrder[a.kind] - kindOrder[b.kind],
  );
}
