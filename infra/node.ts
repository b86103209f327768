import type * as pulumi from "@pulumi/pulumi";
import type { PlannedNode } from "../src/plan/types";
import type { NodeSecrets } from "../src/relays/context";

/** Arguments every provider's node component takes. */
export interface NodeArgs {
  /** The planned node: region, size, arch, relays and ports. */
  node: PlannedNode;
  /** Key/value labels for every resource (see `resourceTags`). */
  tags: Record<string, string>;
  /** Delete the VM before creating its replacement (`replaceInPlace`): no second VM counts against the account's limit. */
  replaceInPlace: boolean;
}

/**
 * The VM's resource options: `deleteBeforeReplace` only when asked, so that a stack without
 * `replaceInPlace` keeps Pulumi's create-first default (and the provider's own choice).
 */
export function vmReplacement(args: NodeArgs): { deleteBeforeReplace?: true } {
  return args.replaceInPlace ? { deleteBeforeReplace: true } : {};
}

/** What the fleet needs back from a node component to build links. */
export interface RelayNode extends pulumi.Resource {
  readonly address: pulumi.Output<string>;
  readonly secrets: pulumi.Output<NodeSecrets>;
}
