import type { PlannedNode } from "../plan/types";
import type { NodeSecrets } from "../relays/context";
import { relayKind } from "../relays/registry";

/** A documentation address (RFC 5737) standing in for the node's reserved IP or EIP. */
export const placeholderAddress = "192.0.2.1";

/**
 * Values of the right shape for every secret a node's relays need, so the offline plan can
 * render real user data without knowing the secrets `pulumi up` will generate.
 */
export function placeholderSecrets(node: PlannedNode): NodeSecrets {
  return Object.fromEntries(
    node.relays.map((relay) => [
      relay.kind,
      Object.fromEntries(
        relayKind(relay.kind).secrets.map((spec) => [spec.name, spec.form === "hex" ? "0".repeat(spec.length * 2) : "x".repeat(spec.length)]),
      ),
    ]),
  );
}
