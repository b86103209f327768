import { stringify } from "yaml";
import type { PlannedNode } from "../plan/types";
import { relayContext, type NodeSecrets } from "../relays/context";
import { relayKind } from "../relays/registry";
import type { NodeFile } from "../relays/types";
import { nftablesRuleset } from "./firewall";
import { hostFiles, hostPackages } from "./host-files";
import { setupDir, setupFiles } from "./setup-steps";

export interface NodeRenderInput {
  node: PlannedNode;
  /** The node's public IPv4 address (reserved IP or EIP). */
  address: string;
  secrets: NodeSecrets;
}

function writeFile(file: NodeFile): Record<string, string> {
  return { path: file.path, content: file.content, permissions: file.permissions, owner: "root:root" };
}

/** The node's whole `#cloud-config`: relays, firewall, tuning, hardening, in one document. */
export function renderCloudConfig({ node, address, secrets }: NodeRenderInput): string {
  const relays = node.relays.map((relay) => ({
    kind: relay.kind,
    port: relay.port,
    install: relayKind(relay.kind).install(relayContext(node, relay, address, secrets)),
  }));
  const packages = [...new Set([...hostPackages, ...relays.flatMap((r) => r.install.packages)])].sort();
  const files: NodeFile[] = [
    ...hostFiles(),
    { path: "/etc/nftables.conf", content: nftablesRuleset(node.openTcpPorts), permissions: "0755" },
    ...relays.flatMap((r) => [...r.install.files, { path: `/etc/systemd/system/${r.install.unit.name}`, content: r.install.unit.content, permissions: "0644" }]),
    ...setupFiles(node.ssh.enabled, relays),
  ];
  const document: Record<string, unknown> = {
    package_update: true,
    packages,
    ssh_pwauth: false,
    disable_root: true,
    ...(node.ssh.enabled ? { ssh_authorized_keys: node.ssh.publicKeys } : {}),
    write_files: files.map(writeFile),
    runcmd: [["sh", `${setupDir}/setup.sh`]],
  };
  const header = `#cloud-config\n# lifeline node ${node.name}: generated from the stack config; change that, not this.\n`;
  return header + stringify(document, { lineWidth: 0 });
}
