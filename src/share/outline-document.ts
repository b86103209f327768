import type { FleetNode } from "../fleet-input/types";
import { parseSip002Link, sip008Document, type ShadowsocksServer } from "../links/shadowsocks";

/**
 * One SIP008 document for Outline's dynamic keys (`ssconf://`): host it where the censor does
 * not block, and every client follows changes. Built only from the access keys of the given
 * nodes (those on pages), already validated, so it holds exactly server, port, password,
 * method and label: no `plugin`, no field an outputs file slipped in.
 */
export function outlineDocument(nodes: readonly FleetNode[]): string | undefined {
  const servers: ShadowsocksServer[] = nodes.flatMap((node) =>
    node.relays.flatMap((relay) => {
      if (relay.kind !== "shadowsocks") return [];
      const key = parseSip002Link(relay.accessKey);
      return "problem" in key ? [] : [key];
    }),
  );
  return servers.length > 0 ? sip008Document(servers) : undefined;
}
