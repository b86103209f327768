import { z } from "zod";

/** What `check --json` says of one link, as `blocked` needs it (other fields are ignored). */
const checkLink = z.object({
  source: z.string(),
  node: z.string(),
  address: z.string(),
  relay: z.string(),
  status: z.enum(["ok", "failed"]),
});
const checkDocument = z.object({ links: z.array(checkLink) });

/** One node as checked from outside. */
export interface OutsideNode {
  /** The outputs file or `stack <name>`. */
  source: string;
  name: string;
  address: string;
  /** Relay kind -> did its handshake pass from outside. */
  relays: Record<string, boolean>;
}

export class OutsideCheckError extends Error {}

/** Reads `lifeline check --json` output; its links grouped into nodes by address. */
export function outsideNodes(text: string, source: string): OutsideNode[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OutsideCheckError(`${source} is not JSON: give the output of \`lifeline check --json\` run outside`);
  }
  const parsed = checkDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OutsideCheckError(`${source} is not \`lifeline check --json\` output: ${issue.path.join(".") || "top"}: ${issue.message}`);
  }
  const nodes = new Map<string, OutsideNode>();
  for (const link of parsed.data.links) {
    const node = nodes.get(link.address) ?? { source: link.source, name: link.node, address: link.address, relays: {} };
    node.relays[link.relay] = link.status === "ok";
    nodes.set(link.address, node);
  }
  return [...nodes.values()];
}
