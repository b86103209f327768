import type { PlannedNode } from "../plan/types";
import { relayContext, type NodeSecrets } from "../relays/context";
import { relayKind } from "../relays/registry";
import type { NodeFile } from "../relays/types";
import { nftablesRuleset } from "./firewall";
import { hostFiles, hostPackages } from "./host-files";
import { expiryFiles } from "./expiry";
import { renderProbeCloudConfig } from "./probe-role";
import { relaySteps, setupDir, setupFiles } from "./setup-steps";
import { shapingFiles } from "./shaping";
import { cloudConfigDocument } from "./cloud-config-document";

export interface NodeRenderInput {
  node: PlannedNode;
  /** The node's public IPv4 address (reserved IP or EIP). */
  address: string;
  secrets: NodeSecrets;
}

/** The node's whole `#cloud-config`, in one document: a relay node's or a probe's. */
export function renderCloudConfig(input: NodeRenderInput): string {
  return input.node.role === "probe" ? renderProbeCloudConfig(input) : renderRelayCloudConfig(input);
}

/**
 * Until journald runs, PID 1 logs to the console only. Debian's nftables.service is ordered
 * before nothing that waits for journald, so on a busy boot a firewall that fails to load, and
 * every relay's "Dependency failed" after it, never reached the journal an organizer reads.
 */
const firewallAfterJournal: NodeFile = {
  path: "/etc/systemd/system/nftables.service.d/50-after-journal.conf",
  content: "[Unit]\nAfter=systemd-journald.service\n",
  permissions: "0644",
};

/** A relay node: relays, firewall, tuning, hardening. */
function renderRelayCloudConfig({ node, address, secrets }: NodeRenderInput): string {
  const relays = node.relays.map((relay) => {
    const kind = relayKind(relay.kind);
    return { port: relay.port, relay: kind, install: kind.install(relayContext(node, relay, address, secrets)) };
  });
  const bandwidth = node.abuse.bandwidthMbit;
  const packages = [...new Set([...hostPackages, ...relays.flatMap((r) => r.install.packages)])].sort();
  const files: NodeFile[] = [
    ...hostFiles(),
    {
      path: "/etc/nftables.conf",
      content: nftablesRuleset({
        relayPorts: relays.map((r) => r.port),
        sshEnabled: node.ssh.enabled,
        validationTcpPorts: node.validationTcpPorts,
        relays: relays.map((r) => ({
          port: r.port,
          uid: r.relay.user.uid,
          egressTcpPorts: r.relay.egressTcpPorts,
          ...(r.install.admissionLimit !== undefined ? { admissionLimit: r.install.admissionLimit } : {}),
        })),
        abuse: node.abuse,
      }),
      permissions: "0755",
    },
    firewallAfterJournal,
    ...(bandwidth !== undefined ? shapingFiles(bandwidth) : []),
    ...relays.flatMap((r) => [...r.install.files, { path: `/etc/systemd/system/${r.install.unit.name}`, content: r.install.unit.content, permissions: "0644" }]),
    ...setupFiles({ sshEnabled: node.ssh.enabled, publicAddress: address, users: relays.map((r) => r.relay.user), shaping: bandwidth !== undefined }, relaySteps(relays)),
    ...expiryFiles(node, relays.flatMap((r) => [r.install.unit.name, ...(r.install.stopAtExpiry ?? [])]), `${setupDir}/steps`),
  ];
  return cloudConfigDocument(node, address, packages, files);
}
