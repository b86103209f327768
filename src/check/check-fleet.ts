import type { FleetNode, RelayKindName, Transport } from "../fleet-input/types";
import { ProbeFailure } from "./connection";
import { relayProbes } from "./probes";
import type { ProbeOptions, ProbeResult } from "./types";

/** One link of one node, checked from outside. Holds no link and no secret. */
export interface LinkCheck extends ProbeResult {
  /** The outputs file or stack the node came from. */
  source: string;
  node: string;
  address: string;
  relay: RelayKindName;
  /** What the relay hides and from whom: a passing plaintext link is still a last resort. */
  transport: Transport;
}

export interface CheckOptions extends ProbeOptions {
  /** Links checked at once. */
  concurrency: number;
}

async function checkLink(node: FleetNode, relay: FleetNode["relays"][number], options: ProbeOptions): Promise<LinkCheck> {
  const base = { source: node.source, node: node.name, address: node.address, relay: relay.kind, transport: relay.transport };
  try {
    return { ...base, ...(await relayProbes[relay.kind](relay as unknown as Record<string, unknown>, options)) };
  } catch (error) {
    // A link the probe cannot read fails that link only, not the whole check.
    if (error instanceof ProbeFailure) return { ...base, ok: false, detail: error.message, ...(error.somethingElse ? { somethingElse: true } : {}) };
    throw error;
  }
}

/**
 * Checks every relay of every node, `concurrency` at a time; `progress` hears each result as it
 * comes. Results keep the fleet's order.
 */
export async function checkFleet(
  nodes: readonly FleetNode[],
  options: CheckOptions,
  progress: (result: LinkCheck, done: number, total: number) => void,
): Promise<LinkCheck[]> {
  const work = nodes.flatMap((node) => node.relays.map((relay) => () => checkLink(node, relay, options)));
  const results: LinkCheck[] = new Array(work.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < work.length) {
      const index = next++;
      results[index] = await work[index]!();
      progress(results[index]!, ++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, work.length)) }, worker));
  return results;
}
