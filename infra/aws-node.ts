import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudFirewallTcpRanges } from "../src/plan/inbound-ports";
import { awsRootVolumeGB } from "../src/cost/node-rates";
import { generationSuffix } from "../src/plan/expand";
import type { NodeSecrets } from "../src/relays/context";
import { nodeUserData } from "./node-user-data";
import { vmReplacement, type NodeArgs, type RelayNode } from "./node";
import { generateRelaySecrets } from "./relay-secrets";

const amiParameters = { "debian-12": (arch: string) => `/aws/service/debian/release/12/latest/${arch}` } as const;

/**
 * An AWS node, relay or probe (`node.role`), in its own region (v7's per-resource `region`): an Elastic IP that
 * survives instance replacement, a security group with exactly the node's ports, and an
 * instance that requires IMDSv2, terminates when shut down and never bills CPU credits.
 */
export class AwsNode extends pulumi.ComponentResource implements RelayNode {
  readonly address: pulumi.Output<string>;
  readonly secrets: pulumi.Output<NodeSecrets>;

  constructor(name: string, args: NodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lifeline:aws:Node", name, {}, opts);
    const { node, tags } = args;
    const region = node.region;
    this.secrets = generateRelaySecrets(node, this);

    const ami = aws.ssm.getParameterOutput({ name: amiParameters[node.image](node.arch), region }, { parent: this });

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        region,
        description: node.role === "probe" ? `lifeline probe ${name}: every TCP port` : `lifeline relay node ${name}: relay ports only`,
        ingress: [
          ...cloudFirewallTcpRanges(node).map(({ from, to }) => ({
            protocol: "tcp",
            fromPort: from,
            toPort: to,
            cidrBlocks: ["0.0.0.0/0"],
            ipv6CidrBlocks: ["::/0"],
          })),
          { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        tags,
      },
      { parent: this },
    );

    // A new generation (rotation) is a new Elastic IP; the old one is released at the end of `pulumi up`.
    const eip = new aws.ec2.Eip(`${name}-ip${generationSuffix(node)}`, { region, domain: "vpc", tags }, { parent: this });
    this.address = eip.publicIp;

    const instance = new aws.ec2.Instance(
      name,
      {
        region,
        ami: ami.value,
        instanceType: node.size,
        vpcSecurityGroupIds: [securityGroup.id],
        userDataBase64: nodeUserData(node, eip.publicIp, this.secrets),
        // New user data must mean a fresh instance: cloud-init runs only on first boot.
        userDataReplaceOnChange: true,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        instanceInitiatedShutdownBehavior: "terminate",
        creditSpecification: { cpuCredits: "standard" },
        rootBlockDevice: { volumeType: "gp3", volumeSize: awsRootVolumeGB, encrypted: true, deleteOnTermination: true },
        tags,
        volumeTags: tags,
      },
      // The SSM parameter moves with every Debian point release; that alone must not replace nodes.
      { parent: this, ignoreChanges: ["ami"], ...vmReplacement(args) },
    );

    new aws.ec2.EipAssociation(`${name}-ip-assignment`, { region, allocationId: eip.allocationId, instanceId: instance.id }, { parent: this });
    this.registerOutputs({ address: this.address });
  }
}
