import * as pulumi from "@pulumi/pulumi";
import type { ProviderName } from "../src/catalog";
import { fleetDocuments } from "../src/links/fleet-documents";
import { nodeLinks } from "../src/links/node-links";
import { fleetSummary, type FleetSummary } from "../src/plan/summary";
import { resourceTags } from "../src/plan/tags";
import type { FleetPlan, PlannedNode } from "../src/plan/types";
import { probeSecretOwner } from "../src/probe/secrets";
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

/** The stack's probe node, for `lifeline scan <address> --token <token>`. */
export interface ProbeOutput {
  name: string;
  provider: string;
  region: string;
  address: pulumi.Output<string>;
}

export interface DeployedFleet {
  components: RelayNode[];
  nodes: NodeOutput[];
  probe: ProbeOutput | undefined;
  /** The probe's token (secret): the key of its answers, given to whoever scans. */
  probeToken: pulumi.Output<string> | undefined;
  summary: FleetSummary;
  /** Stack-wide documents by name, e.g. `shadowsocksSip008`; secret. */
  documents: pulumi.Output<Record<string, string>>;
}

/** Creates one node component per planned node and gathers the stack outputs. */
export function deployFleet(plan: FleetPlan, stack: string): DeployedFleet {
  const components = plan.nodes.map(
    (node) => new nodeComponents[node.provider](node.name, { node, tags: resourceTags(plan, node, stack), replaceInPlace: plan.replaceInPlace }),
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
  const probe = plan.probe && deployProbe(plan, plan.probe, stack);
  return { components, nodes, summary: fleetSummary(plan, stack), documents, probe: probe?.output, probeToken: probe?.token };
}

/** The probe takes the same path to the cloud as a relay node: the same component, its own role. */
function deployProbe(plan: FleetPlan, node: PlannedNode, stack: string): { output: ProbeOutput; token: pulumi.Output<string> } {
  const component = new nodeComponents[node.provider](node.name, { node, tags: resourceTags(plan, node, stack), replaceInPlace: plan.replaceInPlace });
  return {
    output: { name: node.name, provider: node.provider, region: node.region, address: component.address },
    token: pulumi.secret(component.secrets.apply((secrets) => secrets[probeSecretOwner]?.["token"] ?? "")),
  };
}
