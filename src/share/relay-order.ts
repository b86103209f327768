import type { FleetRelay } from "../fleet-input/types";

// Within each transport, the kind most people can use with one tap comes first.
const kindOrder: Record<FleetRelay["kind"], number> = { mtproto: 0, shadowsocks: 1, socks5: 2, http: 3 };

/** Encrypted relays first (what to hand out), plaintext ones last (a last resort). */
export function relaysInShareOrder(relays: readonly FleetRelay[]): FleetRelay[] {
  return [...relays].sort(
    (a, b) => Number(a.transport === "plaintext") - Number(b.transport === "plaintext") || kindOrder[a.kind] - kindOrder[b.kind],
  );
}
