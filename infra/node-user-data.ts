import * as pulumi from "@pulumi/pulumi";
import { encodeUserData } from "../src/cloudinit/encode";
import { renderCloudConfig } from "../src/cloudinit/render";
import type { PlannedNode } from "../src/plan/types";
import type { NodeSecrets } from "../src/relays/context";

/** The node's user data as its cloud takes it; secret, since it holds relay credentials. */
export function nodeUserData(
  node: PlannedNode,
  address: pulumi.Output<string>,
  secrets: pulumi.Output<NodeSecrets>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([address, secrets]).apply(([addr, s]) =>
      encodeUserData(node.provider, node.name, renderCloudConfig({ node, address: addr, secrets: s })).value,
    ),
  );
}
