import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { lockedRootKey } from "../src/plan/root-lock-key";
import { cloudFirewallTcpRanges } from "../src/plan/inbound-ports";
import { generationSuffix } from "../src/plan/expand";
import { digitalOceanTags } from "../src/plan/tags";
import type { NodeSecrets } from "../src/relays/context";
import { nodeUserData } from "./node-user-data";
import { vmReplacement, type NodeArgs, type RelayNode } from "./node";
import { generateRelaySecrets } from "./relay-secrets";

const images = { "debian-12": "debian-12-x64" } as const;

/**
 * A DigitalOcean node, relay or probe (`node.role`): a reserved IP (the address in every link, kept when the droplet
 * is replaced), the droplet, and a cloud firewall that opens exactly the node's ports.
 * The firewall names its droplet by id and carries no tags: in DigitalOcean a firewall's tags
 * select droplets (every droplet with the tag), which would open this node's ports on every
 * lifeline droplet in the account, other volunteers' stacks included.
 */
export class DigitalOceanNode extends pulumi.ComponentResource implements RelayNode {
  readonly address: pulumi.Output<string>;
  readonly secrets: pulumi.Output<NodeSecrets>;

  constructor(name: string, args: NodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lifeline:digitalocean:Node", name, {}, opts);
    const { node } = args;
    const tags = digitalOceanTags(args.tags);
    this.secrets = generateRelaySecrets(node, this);

    // A new generation (rotation) is a new reserved IP; the old one is released at the end of `pulumi up`.
    const ip = new digitalocean.ReservedIp(`${name}-ip${generationSuffix(node)}`, { region: node.region }, { parent: this });
    this.address = ip.ipAddress;

    // Without an SSH key DigitalOcean e-mails a root password; this key has no private half.
    const lockBytes = new random.RandomBytes(`${name}-root-lock`, { length: 32 }, { parent: this });
    const rootLock = new digitalocean.SshKey(
      `${name}-root-lock`,
      { name: `${name} root lock, no private key`, publicKey: lockBytes.hex.apply((hex) => lockedRootKey(Buffer.from(hex, "hex"))) },
      { parent: this },
    );

    const droplet = new digitalocean.Droplet(
      name,
      {
        name,
        region: node.region,
        size: node.size,
        image: images[node.image],
        userData: nodeUserData(node, ip.ipAddress, this.secrets),
        tags,
        sshKeys: [rootLock.fingerprint],
        ipv6: false,
        monitoring: false,
      },
      { parent: this, ...vmReplacement(args) },
    );
    const dropletId = droplet.id.apply(Number);

    new digitalocean.ReservedIpAssignment(`${name}-ip-assignment`, { ipAddress: ip.ipAddress, dropletId }, { parent: this });

    const everywhere = ["0.0.0.0/0", "::/0"];
    new digitalocean.Firewall(
      `${name}-firewall`,
      {
        name: `lifeline-${name}`,
        dropletIds: [dropletId],
        inboundRules: [
          ...cloudFirewallTcpRanges(node).map(({ from, to }) => ({
            protocol: "tcp",
            portRange: from === to ? String(from) : `${from}-${to}`,
            sourceAddresses: everywhere,
          })),
          { protocol: "icmp", sourceAddresses: everywhere },
        ],
        outboundRules: [
          { protocol: "tcp", portRange: "1-65535", destinationAddresses: everywhere },
          { protocol: "udp", portRange: "1-65535", destinationAddresses: everywhere },
          { protocol: "icmp", destinationAddresses: everywhere },
        ],
      },
      { parent: this },
    );
    this.registerOutputs({ address: this.address });
  }
}
