import type { Sip008Server } from "../fleet-input/types";

/**
 * One SIP008 document with every Shadowsocks server of the merged fleet, for Outline's dynamic
 * keys (`ssconf://`): host it where the censor does not block, and every client follows changes.
 */
export function outlineDocument(servers: readonly Sip008Server[]): string {
  return `${JSON.stringify({ version: 1, servers }, null, 2)}\n`;
}
