import type { PlannedNode } from "../plan/types";
import { relayContext, type NodeSecrets } from "../relays/context";
import { relayKind } from "../relays/registry";
import type { RelayLinks, RelayTransport } from "../relays/types";

/**
 * Shown with every plaintext relay's links (and on share pages): what a person risks by using it.
 * Share pages translate it; this English text is the reference.
 */
export const plaintextWarning =
  "Not encrypted: the password and every site you visit cross the censor's network in plain view. " +
  "Use it only when the Telegram (MTProto), Outline (Shadowsocks) and HTTPS proxy links do not work.";

/**
 * Shown with every Shadowsocks link: the link carries the node's only key, so it is as secret as
 * the traffic it protects. Share pages translate it; this English text is the reference.
 */
export const privateLinkWarning =
  "Hidden from the censor only while this link stays private: anyone who has it, the censor too once it leaks, " +
  "can decrypt traffic recorded on the way. Never post it publicly.";

const warnings: Record<RelayTransport, string | undefined> = {
  encrypted: undefined,
  "private-link": privateLinkWarning,
  plaintext: plaintextWarning,
};

/** How a relay's traffic looks to the censor, and the warning that goes with anything less than encrypted. */
function transportFields(transport: RelayTransport): Record<string, string> {
  const warning = warnings[transport];
  return warning === undefined ? { transport } : { transport, warning };
}

/**
 * Every link a node offers, by relay kind: what `pulumi up` outputs and share pages show.
 * Each kind's links also say its `transport` (`encrypted`; `private-link` or `plaintext`, with a `warning`).
 */
export function nodeLinks(node: PlannedNode, address: string, secrets: NodeSecrets): Record<string, RelayLinks> {
  return Object.fromEntries(
    node.relays.map((relay) => {
      const kind = relayKind(relay.kind);
      return [relay.kind, { ...kind.links(relayContext(node, relay, address, secrets)), ...transportFields(kind.transport) }];
    }),
  );
}
