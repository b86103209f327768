import { probeSecretOwner, probeSecrets } from "../probe/secrets";
import { relayKind } from "../relays/registry";
import type { RelaySecretSpec } from "../relays/types";
import type { PlannedNode } from "./types";

/** One secret a node needs generated, under its owner: a relay kind, or the probe. */
export interface NodeSecretSpec {
  owner: string;
  spec: RelaySecretSpec;
}

/** Every secret a node's role needs: its relays' on a relay node, the token on a probe. */
export function nodeSecretSpecs(node: PlannedNode): NodeSecretSpec[] {
  if (node.role === "probe") return probeSecrets.map((spec) => ({ owner: probeSecretOwner, spec }));
  return node.relays.flatMap((relay) => relayKind(relay.kind).secrets.map((spec) => ({ owner: relay.kind, spec })));
}
