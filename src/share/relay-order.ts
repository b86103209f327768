import type { FleetRelay } from "../fleet-input/types";

// Within each transport: vless first (a probe sees a real website, and one app carries the whole
// device), then the kinds most people can use with one tap; the encrypted browser proxy (https)
// comes before every plaintext one, the plaintext browser proxy (http) last.
const kindOrder: Record<FleetRelay["kind"], number> = { vless: 0, mtproto: 1, shadowsocks: 2, https: 3, socks5: 4, http: 5 };

/** Encrypted relays first (what to hand out), plaintext ones last (a last resort). */
export function relaysInShareOrder(relays: readonly FleetRelay[]): FleetRelay[] {
  return [...relays].sort(
    (a, b) => Number(a.transport === "plaintext") - Number(b.transport === "plaintext") || kindOrder[a.kind] - kindOrder[b.kind],
  );
}
