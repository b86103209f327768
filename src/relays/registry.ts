import { httpRelay } from "./http";
import { httpsRelay } from "./https";
import { mtprotoRelay } from "./mtproto";
import { shadowsocksRelay } from "./shadowsocks";
import { socks5Relay } from "./socks5";
import type { RelayKind } from "./types";
import { vlessRelay } from "./vless";

/** Every relay kind lifeline can put on a node. Register a new kind here and nowhere else. */
export const relayKinds: readonly RelayKind<any>[] = [mtprotoRelay, socks5Relay, httpRelay, httpsRelay, shadowsocksRelay, vlessRelay];

export function relayKind(kind: string): RelayKind<unknown> {
  const found = relayKinds.find((r) => r.kind === kind);
  if (!found) throw new Error(`unknown relay kind "${kind}"`);
  return found;
}

export const relayKindNames = relayKinds.map((r) => r.kind);
