import { probeOver, ProbeFailure } from "../connection";
import type { RelayProbe } from "../types";
import { linkField } from "./link-fields";

/**
 * An HTTP proxy with Basic auth: CONNECT to the target with the link's user and password, in
 * the clear (`http`) or inside TLS to the proxy (`https`, its certificate checked for the host).
 */
const proxyConnectProbe = (tls: boolean): RelayProbe => async (links, { target, timeoutMs, allowPrivate }) => {
  const host = linkField(links, "host");
  const port = Number(linkField(links, "port"));
  const credentials = Buffer.from(`${linkField(links, "user")}:${linkField(links, "password")}`, "utf8").toString("base64");
  const authority = `${target.host}:${target.tunnelPort}`;
  return probeOver(host, port, { timeoutMs, allowPrivate }, async (c) => {
    c.write(Buffer.from(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Authorization: Basic ${credentials}\r\n\r\n`, "latin1"));
    const head = (await c.readUntil("\r\n\r\n", 16_384, "an answer to CONNECT")).toString("latin1");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
    if (status === undefined) throw new ProbeFailure("the port does not answer as an HTTP proxy");
    if (status === "407") throw new ProbeFailure("wrong user or password: the proxy answered 407");
    if (status !== "200") throw new ProbeFailure(`authenticated, but CONNECT to ${authority} was answered ${status}`);
    return `${tls ? "TLS certificate valid; " : ""}authenticated; CONNECT to ${authority} answered 200`;
  }, tls);
};

export const httpProbe = proxyConnectProbe(false);
export const httpsProbe = proxyConnectProbe(true);
