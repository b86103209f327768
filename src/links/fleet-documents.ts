import type { PlannedNode } from "../plan/types";
import { relayContext, type NodeSecrets } from "../relays/context";
import { relayKinds } from "../relays/registry";

export interface DeployedNode {
  node: PlannedNode;
  address: string;
  secrets: NodeSecrets;
}

/** Stack-wide documents (such as SIP008) from every relay kind that offers one. */
export function fleetDocuments(nodes: readonly DeployedNode[]): Record<string, string> {
  const documents: Record<string, string> = {};
  for (const kind of relayKinds) {
    if (!kind.fleetDocument) continue;
    const contexts = nodes.flatMap(({ node, address, secrets }) =>
      node.relays.filter((r) => r.kind === kind.kind).map((r) => relayContext(node, r, address, secrets)),
    );
    if (contexts.length === 0) continue;
    const { name, content } = kind.fleetDocument(contexts);
    documents[name] = content;
  }
  return documents;
}
