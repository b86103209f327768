import type { PlannedNode } from "../plan/types";
import type { NodeSecrets } from "../relays/context";
import { nodeSecretSpecs } from "../plan/node-secrets";

/** A documentation address (RFC 5737) standing in for the node's reserved IP or EIP. */
export const placeholderAddress = "192.0.2.1";

/**
 * Values of the right shape for every secret a node needs, so the offline plan can
 * render real user data without knowing the secrets `pulumi up` will generate.
 */
export function placeholderSecrets(node: PlannedNode): NodeSecrets {
  const secrets: Record<string, Record<string, string>> = {};
  for (const { owner, spec } of nodeSecretSpecs(node)) {
    (secrets[owner] ??= {})[spec.name] = spec.form === "hex" ? "0".repeat(spec.length * 2) : spec.form === "uuid" ? "00000000-0000-4000-8000-000000000000" : "x".repeat(spec.length);
  }
  return secrets;
}
