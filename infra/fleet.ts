import * as pulumi from "@pulumi/pulumi";
import type { ProviderName } from "../src/catalog";
import { fleetDocuments } from "../src/links/fleet-documents";
import { nodeLinks } from "../src/links/node-links";
import { fleetSummary, type FleetSummary } from "../src/plan/summary";
import { resourceTags } from "../src/plan/tags";
import type { FleetPlan } from "../src/plan/types";
import { AwsNode } from "./aws-node";
import { DigitalOceanNode } from "./digitalocean-node";
import type { NodeArgs, RelayNode } from "./node";

const nodeComponents: Record<ProviderName, new (name: string, args: NodeArgs) => RelayNode> = {
  digitalocean: DigitalOceanNode,
  aws: AwsNode,
};

export interface NodeOutput {
  name: string;
  provider: string;
  region: string;
  size: string;
  address: pulumi.Output<string>;
  /** Links by relay kind; secret, since each carries the relay's credentials. */
  links: pulumi.Output<Record<string, Record<string, string>>>;
}

export interface DeployedFleet {
  components: RelayNode[];
  nodes: NodeOutput[];
  summary: FleetSummary;
  /** Stack-wide documents by name, e.g. `shadowsocksSip008`; secret. */
  documents: pulumi.Output<Record<string, string>>;
}

/** Creates one node component per planned node and gathers the stack outputs. */
export function deployFleet(plan: FleetPlan, stack: string): DeployedFleet {
  const components = plan.nodes.map(
    (node) => new nodeComponents[node.provider](node.name, { node, tags: resourceTags(plan, node, stack) }),
  );
  const nodes = plan.nodes.map((node, i) => {
    const component = components[i] as RelayNode;
    return {
      name: node.name,
      provider: node.provider,
      region: node.region,
      size: node.size,
      address: component.address,
      links: pulumi.secret(
        pulumi.all([component.address, component.secrets]).apply(([address, secrets]) => nodeLinks(node, address, secrets)),
      ),
    };
  });
  const documents = pulumi.secret(
    pulumi
      .all(components.map((c) => pulumi.all([c.address, c.secrets])))
      .apply((resolved) => fleetDocuments(resolved.map(([address, secrets], i) => ({ node: plan.nodes[i]!, address, secrets })))),
  );
  return { components, nodes, summary: fleetSummary(plan, stack), documents };
}
