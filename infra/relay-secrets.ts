import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { generationSuffix } from "../src/plan/expand";
import type { PlannedNode } from "../src/plan/types";
import type { NodeSecrets } from "../src/relays/context";
import { nodeSecretSpecs } from "../src/plan/node-secrets";
import type { RelaySecretSpec } from "../src/relays/types";

function randomValue(name: string, spec: RelaySecretSpec, parent: pulumi.Resource): pulumi.Output<string> {
  switch (spec.form) {
    case "hex":
      return new random.RandomBytes(name, { length: spec.length }, { parent }).hex;
    case "alphanumeric":
      return new random.RandomPassword(name, { length: spec.length, special: false }, { parent }).result;
    case "lowercase":
      // RandomPassword, not RandomString: its result is secret in state, and a user name is half a credential.
      return new random.RandomPassword(name, { length: spec.length, special: false, upper: false }, { parent }).result;
    case "uuid":
      // Not secret in @pulumi/random's state: the whole generated record is wrapped as secret below.
      return new random.RandomUuid(name, {}, { parent }).result;
  }
}

/**
 * Generates every secret the node's role needs (its relays', or a probe's token). They are children
 * of the node component, not of the VM, and named after node, kind, secret and generation only: a
 * replaced VM keeps its links, and a rotated node (a new generation) gets new secrets.
 */
export function generateRelaySecrets(node: PlannedNode, parent: pulumi.Resource): pulumi.Output<NodeSecrets> {
  const values = nodeSecretSpecs(node).map(({ owner, spec }) => ({
    kind: owner,
    name: spec.name,
    value: randomValue(`${node.name}-${owner}-${spec.name}${generationSuffix(node)}`, spec, parent),
  }));
  return pulumi.secret(
    pulumi.all(values.map((v) => v.value)).apply((resolved) => {
      const secrets: Record<string, Record<string, string>> = {};
      values.forEach((v, i) => {
        (secrets[v.kind] ??= {})[v.name] = resolved[i] as string;
      });
      return secrets;
    }),
  );
}
