import type { RelayKindName } from "../../fleet-input/types";
import type { RelayProbe } from "../types";
import { httpProbe, httpsProbe } from "./http-probe";
import { mtprotoProbe } from "./mtproto-probe";
import { shadowsocksProbe } from "./shadowsocks-probe";
import { socks5Probe } from "./socks5-probe";
import { vlessProbe } from "./vless-probe";

/** How `lifeline check` tests each relay kind from outside: one module a kind, every kind covered. */
export const relayProbes: Readonly<Record<RelayKindName, RelayProbe>> = {
  mtproto: mtprotoProbe,
  socks5: socks5Probe,
  http: httpProbe,
  https: httpsProbe,
  shadowsocks: shadowsocksProbe,
  vless: vlessProbe,
};
