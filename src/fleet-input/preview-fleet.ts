import { CliError } from "../cli/cli-error";
import { placeholderSecrets } from "../cli/placeholder-secrets";
import { readStackFile } from "../cli/stack-file";
import { fleetDocuments, type DeployedNode } from "../links/fleet-documents";
import { nodeLinks } from "../links/node-links";
import { loadFleetPlan } from "../plan/plan";
import { fleetSummary } from "../plan/summary";
import { FleetInputError } from "./errors";
import { mergeFleet } from "./merge-fleet";
import { parseStackOutputs, type ParsedStackOutputs } from "./parse-stack-outputs";
import { stackFileProblems } from "./stack-file-facts";
import type { Fleet } from "./types";

/**
 * The documentation ranges of RFC 5737 (TEST-NET-1, -2, -3): never routed on the internet, so a
 * preview link cannot reach anyone's server, and a reader who knows them sees at once it is fake.
 */
const testNets = ["192.0.2", "198.51.100", "203.0.113"];

/** The n-th (0-based) placeholder address of a preview fleet: distinct, as addresses identify nodes. */
export function previewAddress(n: number): string {
  const net = testNets[Math.floor(n / 254)];
  if (net === undefined) throw new CliError(`a preview has room for ${testNets.length * 254} nodes, and these stacks plan more`, 1);
  return `${net}.${(n % 254) + 1}`;
}

/**
 * What `pulumi up` would output for each stack, made offline from its stack file the way the
 * program makes it (same links, same documents, same summary), with placeholder addresses and
 * secrets: the preview goes through the same checks as real outputs, so it cannot drift from them.
 */
export function previewFleet(stacksDir: string, stacks: readonly string[], today: string): Fleet {
  const problems: string[] = [];
  const parsed: ParsedStackOutputs[] = [];
  let next = 0;
  for (const stack of stacks) {
    try {
      const { source, fleet } = readStackFile(stacksDir, stack);
      const plan = loadFleetPlan(fleet, { source, today });
      const deployed: DeployedNode[] = plan.nodes.map((node) => ({ node, address: previewAddress(next++), secrets: placeholderSecrets(node) }));
      const outputs = {
        nodes: deployed.map(({ node, address, secrets }) => ({
          name: node.name,
          provider: node.provider,
          region: node.region,
          size: node.size,
          address,
          links: nodeLinks(node, address, secrets),
        })),
        summary: fleetSummary(plan, stack),
        documents: fleetDocuments(deployed),
      };
      parsed.push(parseStackOutputs(`stack ${stack} (preview)`, JSON.stringify(outputs)));
    } catch (error) {
      problems.push(...stackFileProblems(error));
    }
  }
  if (problems.length > 0) throw new FleetInputError(problems, "the stack files");
  return mergeFleet(parsed);
}
