import type { RelayContext, RelayLinks } from "../types";
import { userPassword } from "../user-password";

/**
 * What a browser or a tool needs for a squid relay: a URL with the credentials (curl, scripts),
 * the fields of a proxy settings dialog, and a PAC file. A PAC file cannot carry credentials:
 * the browser asks for them once. `http` is spoken to in the clear (PAC `PROXY`), `https` over
 * TLS (PAC `HTTPS`).
 */
export function squidProxyLinks(kind: "http" | "https", ctx: RelayContext<unknown>): RelayLinks {
  const { user, pass } = userPassword(kind, ctx);
  const pacType = kind === "https" ? "HTTPS" : "PROXY";
  return {
    url: `${kind}://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${ctx.address}:${ctx.port}`,
    host: ctx.address,
    port: String(ctx.port),
    user,
    password: pass,
    pac: `function FindProxyForURL(url, host) {\n  return "${pacType} ${ctx.address}:${ctx.port}";\n}\n`,
  };
}
