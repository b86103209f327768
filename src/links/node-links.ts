import type { PlannedNode } from "../plan/types";
import { relayContext, type NodeSecrets } from "../relays/context";
import { relayKind } from "../relays/registry";
import type { RelayLinks } from "../relays/types";

/** Every link a node offers, by relay kind: what `pulumi up` outputs and share pages show. */
export function nodeLinks(node: PlannedNode, address: string, secrets: NodeSecrets): Record<string, RelayLinks> {
  return Object.fromEntries(
    node.relays.map((relay) => [relay.kind, relayKind(relay.kind).links(relayContext(node, relay, address, secrets))]),
  );
}
