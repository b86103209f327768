import { randomBytes } from "node:crypto";
import { appendFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { NetworkPlan } from "./network-plan";
import { nodeStateDir } from "./paths";
import { run, runOk } from "./run-command";

export interface NodeRoot {
  /** The directory systemd-nspawn boots (the overlay's merged view). */
  rootDir: string;
  /** Everything belonging to this node (overlay layers, console log); removed on release. */
  stateDir: string;
  instanceId: string;
}

/** The node's interfaces, configured by networkd inside the node like a cloud VM's static NICs. */
function networkdFiles(plan: NetworkPlan): Record<string, string> {
  // No IPv6 autoconfiguration: the test networks are IPv4 only and RA waits would slow boots.
  const common = "LinkLocalAddressing=no\nIPv6AcceptRA=no\n";
  const L = plan.links;
  return {
    [`10-${L.nodeToCensor}.network`]:
      `[Match]\nName=${L.nodeToCensor}\n\n[Network]\nAddress=${plan.node.ip}/${plan.node.prefix}\n${common}\n` +
      // Clients come in through the censor, and so does the checker outside; only their
      // subnets are routed that way.
      `[Route]\nDestination=${plan.client.ip.replace(/\.\d+$/, ".0")}/${plan.client.prefix}\nGateway=${plan.node.censorIp}\n\n` +
      `[Route]\nDestination=${plan.outside.subnet}\nGateway=${plan.node.censorIp}\n`,
    [`10-${L.nodeToInternet}.network`]:
      `[Match]\nName=${L.nodeToInternet}\n\n[Network]\nAddress=${plan.internet.nodeIp}/${plan.internet.prefix}\n${common}\n` +
      // The cloud's metadata service, on-link as on a VM's NIC; a test may serve it (support/imds.ts).
      `[Route]\nDestination=169.254.169.254/32\nScope=link\n`,
    [`10-${L.nodeUpstream}.network`]:
      `[Match]\nName=${L.nodeUpstream}\n\n[Network]\nAddress=${plan.upstream.nodeIp}/${plan.upstream.prefix}\n` +
      `Gateway=${plan.upstream.hostIp}\n${common}`,
  };
}

/**
 * Mounts a fresh overlay over the cached image and seeds it for cloud-init's NoCloud datasource.
 * The overlay's upper layer lives on disk and outlives node reboots (it is only removed by
 * `releaseNodeRoot`), so a rebooted node keeps its state like a VM's disk.
 */
export async function createNodeRoot(opts: {
  image: string;
  plan: NetworkPlan;
  name: string;
  userData: Buffer | string;
  resolverIp: string;
  /** A root certificate the node trusts besides Debian's, as a VM trusts the web's roots. */
  trustedCaPem?: string;
}): Promise<NodeRoot> {
  const stateDir = join(nodeStateDir(), `${opts.plan.runId}-${opts.name}`);
  const upper = join(stateDir, "upper");
  const work = join(stateDir, "work");
  const rootDir = join(stateDir, "root");
  for (const d of [upper, work, rootDir]) await mkdir(d, { recursive: true });
  await runOk("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${opts.image},upperdir=${upper},workdir=${work}`, rootDir]);
  const root: NodeRoot = { rootDir, stateDir, instanceId: `i-${opts.plan.runId}-${randomBytes(4).toString("hex")}` };
  try {
    const seed = join(rootDir, "var/lib/cloud/seed/nocloud");
    await mkdir(seed, { recursive: true });
    await writeFile(join(seed, "meta-data"), `instance-id: ${root.instanceId}\nlocal-hostname: ${opts.name}\n`);
    // Exactly the bytes given: the point is to test the user-data a cloud would receive.
    await writeFile(join(seed, "user-data"), opts.userData);
    for (const [file, text] of Object.entries(networkdFiles(opts.plan))) {
      await writeFile(join(rootDir, "etc/systemd/network", file), text);
    }
    // A cloud's DHCP would hand out a resolver; here it is the host's, the only one reachable.
    await writeFile(join(rootDir, "etc/resolv.conf"), `nameserver ${opts.resolverIp}\n`);
    if (opts.trustedCaPem !== undefined) {
      // In the bundle programs read, and where update-ca-certificates keeps it if apt rebuilds the bundle.
      await mkdir(join(rootDir, "usr/local/share/ca-certificates"), { recursive: true });
      await writeFile(join(rootDir, "usr/local/share/ca-certificates/test-internet-root.crt"), opts.trustedCaPem);
      await appendFile(join(rootDir, "etc/ssl/certs/ca-certificates.crt"), opts.trustedCaPem);
    }
  } catch (e) {
    await releaseNodeRoot(root);
    throw e;
  }
  return root;
}

/** Unmounts the overlay (lazily if something still holds it) and deletes the node's state. */
export async function releaseNodeRoot(root: Pick<NodeRoot, "rootDir" | "stateDir">): Promise<void> {
  if ((await run("umount", [root.rootDir])).code !== 0) await run("umount", ["-l", root.rootDir]);
  await rm(root.stateDir, { recursive: true, force: true });
}
