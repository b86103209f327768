import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootNode, cleanupStaleState, createBlackoutNetwork, type BlackoutNetwork, type NodeHandle, type NodeLimits } from "../harness";
import { startImds, type ImdsStandin } from "./imds";
import { startFrontingSite, type FrontingSite } from "./fronting-site";
import { startMirror } from "./mirror";
import { mtgPeerVersion, publishMtgPeer, tamper, type PublishedRelease } from "./mtg-release";
import { startTestCa, type TestCa } from "./test-ca";
import { createTestPki } from "./test-pki";
import { renderTestNode, type RenderedNode, type StackOverrides } from "./test-stack";

export interface NodeSession {
  network: BlackoutNetwork;
  node: NodeHandle;
  rendered: RenderedNode;
  release: PublishedRelease;
  /** The HTTPS site mtg imitates, with a transcript of every connection it served. */
  frontingSite: FrontingSite;
  /** The ACME CA (pebble) the https relay gets its certificate from, with its root for clients. */
  ca: TestCa;
  /** The instance metadata stand-in of an AWS-style node. */
  imds?: ImdsStandin;
  close(): Promise<void>;
}

export interface NodeSessionOptions {
  provider: "digitalocean" | "aws";
  name: string;
  ssh?: StackOverrides["ssh"];
  relayKinds?: StackOverrides["relayKinds"];
  relayPorts?: StackOverrides["relayPorts"];
  maxConnectionsPerClient?: number;
  relayOptions?: StackOverrides["relayOptions"];
  noBandwidthCap?: boolean;
  /** Boot as a small VM (benchmarks). */
  limits?: NodeLimits;
  /** What the mirror does to the artifact, or what the config pins instead of its sha256. */
  artifact?: "intact" | "tampered" | "wrong-checksum";
  /** Ports the censor passes besides the stack's (benchmarks run candidate servers on them). */
  extraOpenPorts?: readonly number[];
  /**
   * AWS-style nodes: what the metadata service first says the public address is. Default: the
   * node's own address, as when the Elastic IP is already associated.
   */
  firstPublicIpv4?: string | null;
  /** Runs once the network exists, before the node boots (e.g. to watch its traffic). */
  beforeBoot?: (network: BlackoutNetwork) => Promise<void>;
  /** The node's expiry instant instead of the end of the stack's `expires` day (expiry tests). */
  expiresAt?: string;
  /** Fault injection into the rendered cloud-config (failure-path tests only). */
  tamperCloudConfig?: StackOverrides["tamperCloudConfig"];
}

/**
 * One simulated blackout with one node booted from the local-nodes stack: publishes the real
 * mtg on a mirror in the internet namespace, starts the HTTPS site mtg imitates, its
 * DNS-over-HTTPS resolver and the ACME CA (pebble) there, renders the node's user data through
 * the planner and boots it. `close` tears everything down.
 */
export async function openNodeSession(opts: NodeSessionOptions): Promise<NodeSession> {
  await cleanupStaleState();
  const work = mkdtempSync(join(tmpdir(), "lifeline-node-"));
  const release = await publishMtgPeer(work);
  if (opts.artifact === "tampered") tamper(release.tarball);
  const pinned = opts.artifact === "wrong-checksum" ? "f".repeat(64) : release.sha256;
  const pki = createTestPki(join(work, "pki"));

  const network = await createBlackoutNetwork({ openPorts: [443, 8443, 8080, 4443, 2053, 80, 9443, 22, ...(opts.extraOpenPorts ?? [])] });
  let node: NodeHandle | undefined;
  try {
    const mirror = await startMirror(network, release.mirrorDir);
    // An AWS node waits for its Elastic IP in the metadata service before it downloads anything.
    const imds = opts.provider === "aws" ? await startImds(network, opts.firstPublicIpv4 === undefined ? network.nodeIp : opts.firstPublicIpv4) : undefined;
    const frontingSite = await startFrontingSite(network, pki, work);
    const ca = await startTestCa(network, pki, work);
    await opts.beforeBoot?.(network);
    const rendered = renderTestNode(opts.provider, network.nodeIp, {
      artifactMirror: mirror.url,
      acmeDirectory: ca.directory,
      mtgRelease: { version: mtgPeerVersion, sha256: pinned },
      ...(opts.ssh ? { ssh: opts.ssh } : {}),
      ...(opts.relayKinds ? { relayKinds: opts.relayKinds } : {}),
      ...(opts.relayPorts ? { relayPorts: opts.relayPorts } : {}),
      ...(opts.maxConnectionsPerClient !== undefined ? { maxConnectionsPerClient: opts.maxConnectionsPerClient } : {}),
      ...(opts.noBandwidthCap ? { noBandwidthCap: true } : {}),
      ...(opts.relayOptions ? { relayOptions: opts.relayOptions } : {}),
      ...(opts.tamperCloudConfig ? { tamperCloudConfig: opts.tamperCloudConfig } : {}),
      ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
    });
    node = await bootNode({
      userData: rendered.userData,
      network,
      name: opts.name,
      trustedCaPem: pki.caPem,
      ...(opts.limits ? { limits: opts.limits } : {}),
    });
    const booted = node;
    return {
      network,
      node: booted,
      rendered,
      release,
      frontingSite,
      ca,
      ...(imds ? { imds } : {}),
      async close() {
        await booted.stop();
        await network.destroy();
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await node?.stop();
    await network.destroy();
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the seconds it took. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return (Date.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}
