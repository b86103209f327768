import type { PlannedNode, PlannedRelay } from "../plan/types";
import { relayKind } from "./registry";
import type { RelayContext } from "./types";

/** Generated secrets of one node: by relay kind, then by the secret's name. */
export type NodeSecrets = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What a relay on this node sees: its port and options, the node's address, its secrets. */
export function relayContext(
  node: PlannedNode,
  relay: PlannedRelay,
  address: string,
  secrets: NodeSecrets,
): RelayContext<unknown> {
  const kind = relayKind(relay.kind);
  const own = secrets[relay.kind] ?? {};
  const missing = kind.secrets.filter((s) => own[s.name] === undefined).map((s) => s.name);
  if (missing.length > 0) {
    throw new Error(`node ${node.name}: relay ${relay.kind} lacks generated secrets: ${missing.join(", ")}`);
  }
  return {
    nodeName: node.name,
    label: node.label,
    port: relay.port,
    options: relay.options,
    secrets: own,
    address,
    nodeRelayPorts: node.relays.map((r) => r.port),
    arch: node.arch,
    provider: node.provider,
    artifactMirror: node.artifactMirror,
  };
}
