import type { RelayKindName } from "../../fleet-input/types";
import type { RelayProbe } from "../types";
import { httpProbe, httpsProbe } from "./http-probe";
import { mtprotoProbe } from "./mtproto-probe";
import { realityProbe } from "./reality-probe";
import { shadowsocksProbe } from "./shadowsocks-probe";
import { socks5Probe } from "./socks5-probe";

/**
 * How `lifeline check` tests each relay kind from outside: one module a kind, every kind covered.
 * `vless` is named here on its own: the probe reads the relay's `vless://` link and needs nothing
 * of the relay module, so it is ready whether or not the kind is in `RelayKindName` yet.
 */
export const relayProbes: Readonly<Record<RelayKindName | "vless", RelayProbe>> = {
  mtproto: mtprotoProbe,
  socks5: socks5Probe,
  http: httpProbe,
  https: httpsProbe,
  shadowsocks: shadowsocksProbe,
  vless: realityProbe,
};
