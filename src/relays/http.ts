import { z } from "zod";
import { relayServiceUnit } from "./service-unit";
import type { RelayContext, RelayKind } from "./types";

const httpOptions = z.strictObject({
  /** Connections served at once. */
  maxConnections: z.number().int().min(16).max(65536).default(1000),
});
export type HttpOptions = z.infer<typeof httpOptions>;

const configPath = "/etc/lifeline/http-proxy.conf";
const user = { name: "lifeline-http", uid: 64103 };

function credentials(ctx: RelayContext<HttpOptions>): { user: string; pass: string } {
  const name = ctx.secrets["username"];
  const pass = ctx.secrets["password"];
  if (name === undefined || pass === undefined) throw new Error("http relay needs its generated secrets `username` and `password`");
  return { user: name, pass };
}

function tinyproxyConfig(ctx: RelayContext<HttpOptions>): string {
  const { user: name, pass } = credentials(ctx);
  return [
    "# tinyproxy configuration written by lifeline.",
    `Port ${ctx.port}`,
    "Listen 0.0.0.0",
    "Timeout 600",
    `MaxClients ${ctx.options.maxConnections}`,
    `BasicAuth ${name} ${pass}`,
    // Browsers tunnel HTTPS with CONNECT; nothing else may be tunnelled.
    "ConnectPort 443",
    "DisableViaHeader Yes",
    "LogLevel Critical",
    "",
  ].join("\n");
}

/**
 * An HTTP proxy with Basic auth, which Firefox and Chrome use without any add-on (they ask
 * for the user and password themselves). Debian's tinyproxy; chosen by measurement (README).
 */
export const httpRelay: RelayKind<HttpOptions> = {
  kind: "http",
  title: "HTTP proxy with password, for browsers (tinyproxy)",
  optionsSchema: httpOptions,
  example: "{ kind: http, port: 8080 }",
  secrets: [
    { name: "username", form: "lowercase", length: 10 },
    { name: "password", form: "alphanumeric", length: 24 },
  ],
  user,
  egressTcpPorts: [],
  install(ctx) {
    return {
      packages: ["tinyproxy"],
      files: [{ path: configPath, content: tinyproxyConfig(ctx), permissions: "0640" }],
      privateFiles: [configPath],
      // The package starts its own open proxy on 8888: not ours.
      setup: ["systemctl disable --now tinyproxy.service"],
      unit: {
        name: "lifeline-http.service",
        content: relayServiceUnit({
          description: `lifeline relay: HTTP proxy (tinyproxy) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/bin/tinyproxy -d -c ${configPath}`,
        }),
      },
    };
  },
  links(ctx) {
    const { user: name, pass } = credentials(ctx);
    return {
      url: `http://${encodeURIComponent(name)}:${encodeURIComponent(pass)}@${ctx.address}:${ctx.port}`,
      // For a browser's proxy settings: "HTTP proxy" host and port, also used for HTTPS.
      host: ctx.address,
      port: String(ctx.port),
      user: name,
      password: pass,
      // A PAC file cannot carry credentials: the browser asks for them once.
      pac: `function FindProxyForURL(url, host) {\n  return "PROXY ${ctx.address}:${ctx.port}";\n}\n`,
    };
  },
};
