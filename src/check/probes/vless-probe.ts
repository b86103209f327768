import { probeOver, ProbeFailure } from "../connection";
import type { RelayProbe } from "../types";
import { linkField } from "./link-fields";

/**
 * VLESS + REALITY, reachability only: the port accepts a TCP connection. The REALITY handshake
 * (a ClientHello carrying the node's key, and the server's temporary certificate) is not made
 * here, so a wrong key or a stopped Xray behind an open port is not found; the detail says so.
 */
export const vlessProbe: RelayProbe = async (links, { timeoutMs }) => {
  const link = linkField(links, "vless");
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new ProbeFailure("the vless link is not a URL");
  }
  const port = Number(url.port);
  if (url.hostname === "" || !Number.isInteger(port) || port < 1) throw new ProbeFailure("the vless link has no host and port");
  return probeOver(url.hostname, port, timeoutMs, async () => "the port accepts connections; the REALITY handshake is not checked");
};
