import { probeOver, ProbeFailure } from "../connection";
import type { RelayProbe } from "../types";
import { linkField, socksAddress, telegramLinkParams } from "./link-fields";

// RFC 1928 reply codes, for a refused CONNECT.
const replies: Readonly<Record<number, string>> = {
  1: "general failure",
  2: "not allowed by the relay's rules",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused by the target",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported",
};

/** SOCKS5 (RFC 1928/1929): user/password authentication with the link's credentials, then a CONNECT. */
export const socks5Probe: RelayProbe = async (links, { target, timeoutMs, allowPrivate }) => {
  const { server, port, params } = telegramLinkParams(linkField(links, "telegram"));
  const user = Buffer.from(params.get("user") ?? "", "utf8");
  const pass = Buffer.from(params.get("pass") ?? "", "utf8");
  return probeOver(server, port, { timeoutMs, allowPrivate }, async (c) => {
    c.write(Buffer.from([5, 1, 2]));
    const method = await c.read(2, "a SOCKS5 greeting");
    if (method[0] !== 5) throw new ProbeFailure("the port does not speak SOCKS5");
    if (method[1] !== 2) throw new ProbeFailure("the relay does not accept user/password authentication");
    c.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
    const auth = await c.read(2, "an answer to the user and password");
    if (auth[1] !== 0) throw new ProbeFailure("wrong user or password: the relay refused the link's credentials");
    c.write(Buffer.concat([Buffer.from([5, 1, 0]), socksAddress(target.host, target.tunnelPort)]));
    const reply = await c.read(4, "an answer to CONNECT");
    if (reply[1] !== 0) throw new ProbeFailure(`authenticated, but CONNECT to ${target.host}:${target.tunnelPort} failed: ${replies[reply[1]!] ?? `code ${reply[1]}`}`);
    const rest = reply[3] === 1 ? 6 : reply[3] === 4 ? 18 : 1 + (await c.read(1, "the bound address"))[0]! + 2 - 1;
    await c.read(rest, "the bound address");
    return `authenticated; CONNECT to ${target.host}:${target.tunnelPort} succeeded`;
  });
};
