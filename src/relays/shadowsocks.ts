import { z } from "zod";
import { sip002Link, sip008Document, type ShadowsocksServer } from "../links/shadowsocks";
import { relayServiceUnit } from "./service-unit";
import type { RelayContext, RelayKind } from "./types";

const shadowsocksOptions = z.strictObject({});
export type ShadowsocksOptions = z.infer<typeof shadowsocksOptions>;

/** AEAD cipher that shadowsocks-libev 3.3.5 and every current client support. */
export const shadowsocksMethod = "chacha20-ietf-poly1305";
const configPath = "/etc/lifeline/shadowsocks.json";
const user = { name: "lifeline-shadowsocks", uid: 64104 };

function serverOf(ctx: RelayContext<ShadowsocksOptions>): ShadowsocksServer {
  const password = ctx.secrets["password"];
  if (password === undefined) throw new Error("shadowsocks relay needs its generated secret `password`");
  return { server: ctx.address, port: ctx.port, method: shadowsocksMethod, password, name: ctx.label };
}

/** Shadowsocks for the Outline app and other clients: Debian's shadowsocks-libev ss-server. */
export const shadowsocksRelay: RelayKind<ShadowsocksOptions> = {
  kind: "shadowsocks",
  title: "Shadowsocks (shadowsocks-libev) for Outline and other clients",
  optionsSchema: shadowsocksOptions,
  example: "{ kind: shadowsocks, port: 8388 }",
  secrets: [{ name: "password", form: "alphanumeric", length: 32 }],
  user,
  // One password per node, inside every link: a link holder decrypts captured traffic.
  transport: "private-link",
  egressTcpPorts: [],
  install(ctx) {
    const s = serverOf(ctx);
    const config = { server: "0.0.0.0", server_port: ctx.port, password: s.password, method: s.method, mode: "tcp_only", timeout: 300 };
    return {
      packages: ["shadowsocks-libev"],
      files: [{ path: configPath, content: `${JSON.stringify(config, null, 2)}\n`, permissions: "0640" }],
      privateFiles: [configPath],
      // The package's own server (8388, a password of its own) must never run, not even when an
      // upgrade's maintainer script tries to restart it: masked.
      setup: ["systemctl disable --now shadowsocks-libev.service", "systemctl mask shadowsocks-libev.service"],
      unit: {
        name: "lifeline-shadowsocks.service",
        content: relayServiceUnit({
          description: `lifeline relay: Shadowsocks (ss-server) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/bin/ss-server -c ${configPath}`,
          extraAddressFamilies: ["AF_NETLINK"],
        }),
      },
    };
  },
  links(ctx) {
    return { accessKey: sip002Link(serverOf(ctx)) };
  },
  fleetDocument(relays) {
    return { name: "shadowsocksSip008", content: sip008Document(relays.map(serverOf)) };
  },
};
