import { probeListenerScript } from "../probe/listener-script";
import { probeListenerPort } from "../probe/protocol";
import { probeSecretOwner } from "../probe/secrets";
import { relayServiceUnit } from "../relays/service-unit";
import type { NodeFile } from "../relays/types";
import { hostFiles, hostPackages } from "./host-files";
import { probeFirewallRuleset } from "./probe-firewall";
import { cloudConfigDocument } from "./cloud-config-document";
import type { NodeRenderInput } from "./render";
import { expiryFiles } from "./expiry";
import { setupDir, setupFiles } from "./setup-steps";

/** The listener's user: fixed, like the relays' (64101-64104), so the firewall can name it. */
export const probeUser = { name: "lifeline-probe", uid: 64110 };

const scriptPath = "/usr/local/lib/lifeline/probe-listener.py";
const envPath = "/etc/lifeline/probe.env";

/**
 * A probe node's `#cloud-config`: the shared host step (users, journal in RAM, firewall, SSH
 * policy), the redirect-everything firewall and the listener as a sandboxed unit. python3 comes
 * with every cloud image (cloud-init runs on it); nothing else is installed beyond the host's.
 */
export function renderProbeCloudConfig({ node, address, secrets }: NodeRenderInput): string {
  const token = secrets[probeSecretOwner]?.["token"];
  if (token === undefined) throw new Error(`node ${node.name}: the probe lacks its generated token`);
  const unit = {
    name: "lifeline-probe.service",
    content: relayServiceUnit({
      description: `lifeline probe: answers on every TCP port (listener on ${probeListenerPort})`,
      user: probeUser.name,
      environmentFile: envPath,
      // -I: no user site or PYTHON* variables; only the standard library runs.
      execStart: `/usr/bin/python3 -I ${scriptPath}`,
      // asyncio's event loop wakes itself through a Unix socket pair.
      extraAddressFamilies: ["AF_UNIX"],
    }),
  };
  const files: NodeFile[] = [
    ...hostFiles(),
    { path: "/etc/nftables.conf", content: probeFirewallRuleset({ sshEnabled: node.ssh.enabled, listenerUid: probeUser.uid }), permissions: "0755" },
    { path: scriptPath, content: probeListenerScript, permissions: "0644" },
    // The token lives in a root-only file that systemd reads, not in the world-readable unit.
    { path: envPath, content: `PROBE_TOKEN=${token}\n`, permissions: "0600" },
    { path: `/etc/systemd/system/${unit.name}`, content: unit.content, permissions: "0644" },
    ...setupFiles({ sshEnabled: node.ssh.enabled, publicAddress: address, users: [probeUser], shaping: false }, [
      { name: "probe", user: probeUser.name, install: { packages: [], files: [], privateFiles: [], setup: [], unit }, port: probeListenerPort },
    ]),
    // The stack's expiry stops the probe too (and powers an AWS probe off), like every node.
    ...expiryFiles(node, [unit.name], `${setupDir}/steps`),
  ];
  return cloudConfigDocument(node, address, [...hostPackages].sort(), files);
}
