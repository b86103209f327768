import { createHash } from "node:crypto";

export interface ShadowsocksServer {
  server: string;
  port: number;
  method: string;
  password: string;
  /** Shown in the client's server list. */
  name: string;
}

/** SIP002 `ss://` link; Outline takes it as an access key. userinfo is base64url(method:password). */
export function sip002Link(s: ShadowsocksServer): string {
  const userinfo = Buffer.from(`${s.method}:${s.password}`, "utf8").toString("base64url");
  return `ss://${userinfo}@${s.server}:${s.port}#${encodeURIComponent(s.name)}`;
}

/**
 * A stable UUID for a server, so clients keep their choice across document refreshes. From the
 * fixed address and port: labels repeat across volunteers' stacks, addresses do not.
 */
function serverId(s: ShadowsocksServer): string {
  const h = createHash("sha256").update(`${s.server}|${s.port}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** SIP008 online configuration: every server of a stack in one JSON document. */
export function sip008Document(servers: readonly ShadowsocksServer[]): string {
  const document = {
    version: 1,
    servers: servers.map((s) => ({
      id: serverId(s),
      remarks: s.name,
      server: s.server,
      server_port: s.port,
      password: s.password,
      method: s.method,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
