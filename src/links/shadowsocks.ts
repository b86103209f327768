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

/** A label on people's phones: the program writes `<region>-<index>`; nothing that could render as markup or controls. */
export const sip002LabelShape = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/**
 * The server, port, method, password and label of a SIP002 `ss://` link (AEAD: base64url
 * userinfo), or why it is not one. Never throws: a link comes from an outputs file, which may be
 * hostile (a malformed %-escape made decodeURIComponent throw URIError), and reasons never quote it.
 */
export function parseSip002Link(link: string): ShadowsocksServer | { problem: string } {
  const match = /^ss:\/\/([A-Za-z0-9_%=+/-]+)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?(?:#(.*))?$/.exec(link);
  if (!match) return { problem: "is not a SIP002 link ss://USERINFO@HOST:PORT#LABEL" };
  const decoded = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return undefined;
    }
  };
  const userinfoText = decoded(match[1]!);
  if (userinfoText === undefined) return { problem: "has a malformed %-escape in its user info" };
  const userinfo = Buffer.from(userinfoText, "base64url").toString("utf8");
  const colon = userinfo.indexOf(":");
  if (colon < 1 || !/^[\x21-\x7e]+$/.test(userinfo)) return { problem: "holds no method:password in its user info" };
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return { problem: "has a port outside 1-65535" };
  const name = match[4] === undefined ? "" : decoded(match[4]);
  if (name === undefined) return { problem: "has a malformed %-escape in its label (after #)" };
  if (name !== "" && !sip002LabelShape.test(name)) return { problem: "has a label (after #) other than letters, digits, spaces, '.', '-' and '_'" };
  return { server: match[2]!.replace(/^\[|\]$/g, ""), port, method: userinfo.slice(0, colon), password: userinfo.slice(colon + 1), name };
}
