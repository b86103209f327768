import type { z } from "zod";
import { relayKind } from "../relays/registry";
import { fieldPath, nodeSchema, relaySchemas, sip008Schema, summarySchema } from "./relay-schemas";
import type { FleetNode, FleetRelay, InventoryNode, RelayKindName, Sip008Server, StackFacts, StackOutputs } from "./types";

export interface ParsedStackOutputs {
  outputs: StackOutputs | undefined;
  problems: string[];
  warnings: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isKnownKind(kind: string): kind is RelayKindName {
  return Object.hasOwn(relaySchemas, kind);
}

/**
 * Where JSON.parse stopped, as line:column. Its own message quotes the text around the error,
 * which may be a secret, so only the position is kept.
 */
function jsonErrorPosition(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
  if (!match) return "";
  const before = text.slice(0, Number(match[1]));
  const lines = before.split("\n");
  return ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

function issuesOf(source: string, base: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${source}: ${fieldPath(base, issue.path)}: ${issue.message}`);
}

function parseNode(
  source: string,
  raw: unknown,
  index: number,
  problems: string[],
  warnings: string[],
  inventory: InventoryNode[],
): FleetNode | undefined {
  const at = `nodes[${index}]`;
  const parsed = nodeSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...issuesOf(source, at, parsed.error));
    return undefined;
  }
  const { size } = parsed.data;
  inventory.push({ name: parsed.data.name, provider: parsed.data.provider, region: parsed.data.region, address: parsed.data.address, ...(size !== undefined ? { size } : {}) });
  const relays: FleetRelay[] = [];
  for (const [kind, links] of Object.entries(parsed.data.links)) {
    if (!isKnownKind(kind)) {
      warnings.push(`${source}: ${at}.links.${kind}: relay kind "${kind}" is not known to share; skipped`);
      continue;
    }
    const relay = relaySchemas[kind].safeParse(links);
    if (!relay.success) {
      problems.push(...issuesOf(source, `${at}.links.${kind}`, relay.error));
      continue;
    }
    // The class is the kind's, not the file's: older outputs call Shadowsocks `encrypted`.
    const checked = { kind, ...(relay.data as object), transport: relayKind(kind).transport } as FleetRelay;
    // Plaintext links must carry the warning people are shown (pages translate it).
    if (checked.transport === "plaintext" && checked.warning === undefined) {
      problems.push(`${source}: ${at}.links.${kind}.warning: a plaintext relay must carry its warning`);
      continue;
    }
    relays.push(checked);
  }
  const { name, provider, region, address } = parsed.data;
  return { source, name, provider, region, address, relays };
}

function parseSip008(source: string, documents: unknown, problems: string[]): Sip008Server[] {
  if (documents === undefined) return [];
  if (!isRecord(documents)) {
    problems.push(`${source}: documents: must be an object`);
    return [];
  }
  const raw = documents["shadowsocksSip008"];
  if (raw === undefined) return [];
  const at = "documents.shadowsocksSip008";
  if (typeof raw !== "string") {
    problems.push(`${source}: ${at}: must be a string holding SIP008 JSON`);
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    problems.push(`${source}: ${at}: is not valid JSON${jsonErrorPosition(raw, error)}`);
    return [];
  }
  const parsed = sip008Schema.safeParse(json);
  if (!parsed.success) {
    problems.push(...issuesOf(source, at, parsed.error));
    return [];
  }
  return parsed.data.servers as Sip008Server[];
}

/** Whose the stack is and until when, from its `summary` output (absent in older outputs). */
function parseFacts(source: string, summary: unknown, nodes: InventoryNode[], problems: string[]): StackFacts {
  if (summary === undefined) return { source, nodes };
  const parsed = summarySchema.safeParse(summary);
  if (!parsed.success) {
    problems.push(...issuesOf(source, "summary", parsed.error));
    return { source, nodes };
  }
  const { stack, volunteer, expires, trafficGbPerNodeDay } = parsed.data;
  return {
    source,
    nodes,
    ...(stack !== undefined ? { stack } : {}),
    ...(volunteer !== undefined ? { volunteer } : {}),
    ...(expires !== undefined ? { expires } : {}),
    ...(trafficGbPerNodeDay !== undefined ? { trafficGbPerNodeDay } : {}),
  };
}

/**
 * Reads what `pulumi stack output --json --show-secrets` printed for one stack. `source` names
 * it in every problem and warning. Only `nodes`, `documents` and `summary` are read; other outputs are free.
 */
export function parseStackOutputs(source: string, text: string): ParsedStackOutputs {
  const problems: string[] = [];
  const warnings: string[] = [];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const hint = "expected the output of `pulumi stack output --json --show-secrets`";
    return { outputs: undefined, problems: [`${source}: is not valid JSON${jsonErrorPosition(text, error)} (${hint})`], warnings };
  }
  if (!isRecord(root)) return { outputs: undefined, problems: [`${source}: must be a JSON object of stack outputs`], warnings };
  const rawNodes = root["nodes"];
  if (!Array.isArray(rawNodes)) {
    const what = rawNodes === undefined ? "is missing" : "must be a list";
    return { outputs: undefined, problems: [`${source}: nodes: ${what} (is this the output of a lifeline stack?)`], warnings };
  }
  if (rawNodes.length === 0) warnings.push(`${source}: the stack has no nodes`);
  const inventory: InventoryNode[] = [];
  const nodes = rawNodes
    .map((raw, i) => parseNode(source, raw, i, problems, warnings, inventory))
    .filter((n): n is FleetNode => n !== undefined);
  for (const node of nodes) {
    if (node.relays.length === 0) warnings.push(`${source}: node ${node.name} has no relay share knows; it is left out`);
  }
  const shadowsocksServers = parseSip008(source, root["documents"], problems);
  const facts = parseFacts(source, root["summary"], inventory, problems);
  return {
    outputs: problems.length === 0 ? { source, nodes: nodes.filter((n) => n.relays.length > 0), shadowsocksServers, facts } : undefined,
    problems,
    warnings,
  };
}
