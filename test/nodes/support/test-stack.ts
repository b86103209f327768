import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { encodeUserData } from "../../../src/cloudinit/encode";
import { renderCloudConfig } from "../../../src/cloudinit/render";
import { fleetDocuments } from "../../../src/links/fleet-documents";
import { nodeLinks } from "../../../src/links/node-links";
import { loadFleetPlan } from "../../../src/plan/plan";
import type { PlannedNode } from "../../../src/plan/types";
import type { NodeSecrets } from "../../../src/relays/context";
import { relayKind } from "../../../src/relays/registry";
import type { RelaySecretSpec } from "../../../src/relays/types";

/** Fixed so the test stack never expires under the tests. */
const today = "2026-11-25";

export interface StackOverrides {
  artifactMirror: string;
  /** The https relay's ACME directory: the test internet's pebble. */
  acmeDirectory: string;
  mtgRelease: { version: string; sha256: string };
  ssh?: { enabled: boolean; publicKeys: string[] };
  /** Relays added to the stack's own (a kind the shared stack does not run, such as vless). */
  extraRelays?: ReadonlyArray<{ kind: string; port: number; options?: Record<string, unknown> }>;
  /** Keep only these relay kinds (benchmarks boot one kind at a time). */
  relayKinds?: string[];
  /** Moves relays to other ports of the stack's openPorts, by kind (e.g. a relay on 80). */
  relayPorts?: Record<string, number>;
  /** Replaces abuse.maxConnectionsPerClient (benchmarks open thousands from one address). */
  maxConnectionsPerClient?: number;
  /** Options merged into a relay's, by kind (benchmarks put production defaults back). */
  relayOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Drops abuse.bandwidthMbit (benchmarks measure the relays, not the cap). */
  noBandwidthCap?: boolean;
  /**
   * Moves the node's expiry (planned as the end of the stack's `expires` day, UTC) to this
   * instant, ISO 8601: the expiry tests cannot wait for a day to end.
   */
  expiresAt?: string;
  /** Fault injection: changes the rendered cloud-config before it is encoded (tests of failure paths only). */
  tamperCloudConfig?: (cloudConfig: string) => string;
}

export interface RenderedNode {
  node: PlannedNode;
  /** Bytes exactly as the cloud hands them to the VM: plain text (DigitalOcean) or gzip (AWS). */
  userData: Buffer;
  links: Record<string, Record<string, string>>;
  /** Stack-wide documents for this node alone, as the stack's `documents` output would hold them. */
  documents: Record<string, string>;
  secrets: NodeSecrets;
}

function randomSecret(spec: RelaySecretSpec): string {
  const alphabet = spec.form === "lowercase" ? "abcdefghijklmnopqrstuvwxyz0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  if (spec.form === "hex") return randomBytes(spec.length).toString("hex");
  if (spec.form === "uuid") return randomUUID();
  return Array.from(randomBytes(spec.length), (b) => alphabet[b % alphabet.length]).join("");
}

/** Secrets shaped like the ones @pulumi/random makes for `pulumi up`. */
function generateSecrets(node: PlannedNode): NodeSecrets {
  return Object.fromEntries(
    node.relays.map((r) => [r.kind, Object.fromEntries(relayKind(r.kind).secrets.map((s) => [s.name, randomSecret(s)]))]),
  );
}

/**
 * Plans the local-nodes test stack through the same path as `pulumi up` and renders one node's
 * user data, encoded for its provider. Only documented config options differ from the file.
 */
export function renderTestNode(provider: "digitalocean" | "aws", address: string, overrides: StackOverrides): RenderedNode {
  const raw = parse(readFileSync(join(__dirname, "..", "stacks", "Pulumi.local-nodes.yaml"), "utf8")).config["lifeline:fleet"];
  raw.artifactMirror = overrides.artifactMirror;
  raw.relays.push(...(overrides.extraRelays ?? []));
  for (const relay of raw.relays) {
    if (relay.kind === "mtproto") {
      const { version, sha256 } = overrides.mtgRelease;
      // arm64 is never fetched on this amd64 machine; its pin only has to be well-formed.
      relay.options = { ...relay.options, release: { version, sha256: { amd64: sha256, arm64: "0".repeat(64) } } };
    }
    if (relay.kind === "https") relay.options = { ...relay.options, acmeDirectory: overrides.acmeDirectory };
    relay.port = overrides.relayPorts?.[relay.kind] ?? relay.port;
  }
  for (const relay of raw.relays) {
    const extra = overrides.relayOptions?.[relay.kind];
    if (extra) relay.options = { ...relay.options, ...extra };
  }
  if (overrides.ssh) raw.ssh = overrides.ssh;
  if (overrides.maxConnectionsPerClient !== undefined) raw.abuse = { ...raw.abuse, maxConnectionsPerClient: overrides.maxConnectionsPerClient };
  if (overrides.noBandwidthCap) delete raw.abuse.bandwidthMbit;
  if (overrides.relayKinds) raw.relays = raw.relays.filter((r: { kind: string }) => overrides.relayKinds!.includes(r.kind));
  const plan = loadFleetPlan(raw, { source: "test/nodes/stacks/Pulumi.local-nodes.yaml", today });
  const planned = plan.nodes.find((n) => n.provider === provider);
  if (!planned) throw new Error(`the local-nodes stack has no ${provider} node`);
  const node = overrides.expiresAt !== undefined ? { ...planned, expiresAt: overrides.expiresAt } : planned;
  return renderPlannedNode(node, address, overrides.tamperCloudConfig);
}

/** One planned node's user data for `address`, with fresh secrets, encoded for its provider. */
function renderPlannedNode(node: PlannedNode, address: string, tamper?: (cloudConfig: string) => string): RenderedNode {
  const secrets = generateSecrets(node);
  const rendered = renderCloudConfig({ node, address, secrets });
  const encoded = encodeUserData(node.provider, node.name, tamper ? tamper(rendered) : rendered);
  const userData = encoded.encoding === "plain" ? Buffer.from(encoded.value, "utf8") : Buffer.from(encoded.value, "base64");
  return { node, userData, links: nodeLinks(node, address, secrets), documents: fleetDocuments([{ node, address, secrets }]), secrets };
}

/**
 * Plans a whole stack (its raw `lifeline:fleet`, as a stack file holds it) through the same path
 * as `pulumi up`, and renders the named nodes' user data, each for the address it is given.
 */
export function renderStackNodes(fleet: unknown, source: string, addresses: Readonly<Record<string, string>>): RenderedNode[] {
  const plan = loadFleetPlan(fleet, { source, today });
  return Object.entries(addresses).map(([name, address]) => {
    const node = plan.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`${source} plans no node ${name} (it plans ${plan.nodes.map((n) => n.name).join(", ")})`);
    return renderPlannedNode(node, address);
  });
}
