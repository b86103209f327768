import { ProbeFailure } from "../connection";

/** A link field the outputs carry for this relay (src/fleet-input checked it is there). */
export function linkField(links: Readonly<Record<string, unknown>>, key: string): string {
  const value = links[key];
  if (typeof value !== "string" || value === "") throw new ProbeFailure(`the outputs carry no ${key} for this relay`);
  return value;
}

/** host, port and query of a `tg://` or `https://t.me/` link, without echoing it in errors. */
export function telegramLinkParams(link: string): { server: string; port: number; params: URLSearchParams } {
  const query = link.slice(link.indexOf("?") + 1);
  const params = new URLSearchParams(query);
  const server = params.get("server") ?? "";
  const port = Number(params.get("port"));
  if (server === "" || !Number.isInteger(port) || port < 1 || port > 65535) throw new ProbeFailure("the link has no server and port");
  return { server, port, params };
}

/** SOCKS5 and Shadowsocks name the target: IPv4 (1) or a host name (3), then the port. */
export function socksAddress(host: string, port: number): Buffer {
  const portBytes = Buffer.from([port >> 8, port & 0xff]);
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (ipv4) return Buffer.concat([Buffer.from([1, ...ipv4.slice(1).map(Number)]), portBytes]);
  const name = Buffer.from(host, "ascii");
  return Buffer.concat([Buffer.from([3, name.length]), name, portBytes]);
}

/** The relay's link with this scheme, whichever output field carries it (`vless://` links). */
export function linkWithScheme(links: Readonly<Record<string, unknown>>, scheme: string): string {
  const link = Object.values(links).find((value): value is string => typeof value === "string" && value.startsWith(scheme));
  if (link === undefined) throw new ProbeFailure(`the outputs carry no ${scheme} link for this relay`);
  return link;
}
