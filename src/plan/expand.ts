import { providerCatalogs, type ProviderName } from "../catalog";
import { imagePinKey } from "../catalog/images";
import { nodeRates } from "../cost/node-rates";
import type { FleetConfig } from "../config/schema";
import { relayKind } from "../relays/registry";
import type { PlannedNode } from "./types";

/** The name a node has for its whole life; index counts within one provider and region. */
export function nodeName(provider: keyof typeof providerCatalogs, region: string, index: number): string {
  return `${providerCatalogs[provider].namePrefix}-${region}-${index}`;
}

function nodeBasics(config: FleetConfig, provider: ProviderName, region: string, sizeName: string | undefined) {
  const catalog = providerCatalogs[provider];
  const size = sizeName ?? catalog.defaultSize;
  const spec = catalog.sizes[size];
  if (!spec) throw new Error(`unknown size ${size}: validate the config before expanding it`);
  return {
    provider,
    region,
    size,
    arch: spec.arch,
    image: config.image,
    ami: provider === "aws" ? config.images[config.image]?.[imagePinKey(region, spec.arch)] : undefined,
    ssh: { enabled: config.ssh.enabled, publicKeys: [...config.ssh.publicKeys] },
    artifactMirror: config.artifactMirror,
    abuse: {
      allowedPorts: [...config.abuse.allowedPorts],
      blockedPorts: [...config.abuse.blockedPorts],
      maxConnectionsPerClient: config.abuse.maxConnectionsPerClient,
      bandwidthMbit: config.abuse.bandwidthMbit,
    },
    usdPerHour: nodeRates(provider, region, size).fixedUsdPerHour,
    expiresAt: endOfDayUtc(config.expires),
  };
}

/** The ports relays need reachable for certificate validation (see `RelayKind.validationTcpPort`). */
export function validationPorts(kinds: readonly string[], relayPorts: readonly number[]): number[] {
  const ports = kinds.map((kind) => relayKind(kind).validationTcpPort?.(relayPorts)).filter((p): p is number => typeof p === "number");
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * The suffix that gives a rotated node's address and secrets new resources: "" for a node never
 * rotated, so that existing stacks keep theirs, `-g2` for generation 2.
 */
export function generationSuffix(node: { generation: number }): string {
  return node.generation === 0 ? "" : `-g${node.generation}`;
}

/** The moment a stack's `expires` day ends, UTC: nodes serve through the whole day. */
export function endOfDayUtc(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().replace(".000Z", "Z");
}

/**
 * Expands node groups into nodes. A node's name depends only on its provider, region and
 * index, so changing one region's count or dropping a region never renames another node.
 */
export function expandNodes(config: FleetConfig): PlannedNode[] {
  const relays = config.relays.map((r) => ({ kind: r.kind, port: r.port, options: { ...r.options } }));
  const relayPorts = relays.map((r) => r.port);
  const openTcpPorts = [...new Set([...relayPorts, ...(config.ssh.enabled ? [22] : [])])].sort((a, b) => a - b);
  const validationTcpPorts = validationPorts(relays.map((r) => r.kind), relayPorts);
  return config.groups.flatMap((group) =>
    group.regions.flatMap((region) =>
      Array.from({ length: group.nodesPerRegion }, (_, index): PlannedNode => ({
        ...nodeBasics(config, group.provider, region, group.size),
        role: "relay",
        name: nodeName(group.provider, region, index),
        label: `${region}-${index}`,
        relays,
        openTcpPorts,
        validationTcpPorts,
        generation: config.rotations[nodeName(group.provider, region, index)] ?? 0,
      })),
    ),
  );
}

/**
 * The stack's probe node: no relays; it answers on every TCP port but its management ones
 * (22 with SSH on). Named `<provider prefix>-<region>-probe`, apart from relay nodes' indices.
 */
export function probeNode(config: FleetConfig): PlannedNode | undefined {
  const probe = config.probe;
  if (!probe) return undefined;
  return {
    ...nodeBasics(config, probe.provider, probe.region, probe.size),
    role: "probe",
    name: `${providerCatalogs[probe.provider].namePrefix}-${probe.region}-probe`,
    label: `${probe.region}-probe`,
    relays: [],
    openTcpPorts: config.ssh.enabled ? [22] : [],
    validationTcpPorts: [],
    // Rotating a probe is not offered: its address matters only while the ports are searched.
    generation: 0,
  };
}
