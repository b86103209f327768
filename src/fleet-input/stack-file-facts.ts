import { CliError } from "../cli/cli-error";
import { readStackFile } from "../cli/stack-file";
import { FleetConfigError } from "../config/issues";
import { loadFleetPlan } from "../plan/plan";
import { FleetInputError } from "./errors";
import type { StackFacts } from "./types";

/**
 * What `cost` and `expired` need of stacks, offline from their stack files: the planned nodes,
 * the volunteer, the expiry and the traffic estimate. A stack past its expiry is read all the
 * same. Every problem of every stack is listed at once.
 */
export function factsFromStackFiles(stacksDir: string, stacks: readonly string[], today: string): StackFacts[] {
  const problems: string[] = [];
  const facts: StackFacts[] = [];
  for (const stack of stacks) {
    try {
      const { source, fleet } = readStackFile(stacksDir, stack);
      const plan = loadFleetPlan(fleet, { source, today, allowPastExpiry: true });
      facts.push({
        source,
        stack,
        volunteer: plan.volunteer,
        expires: plan.expires,
        trafficGbPerNodeDay: plan.cost.trafficGbPerNodeDay,
        nodes: plan.nodes.map((n) => ({ name: n.name, provider: n.provider, region: n.region, size: n.size })),
      });
    } catch (error) {
      if (error instanceof CliError) problems.push(error.message);
      else if (error instanceof FleetConfigError) problems.push(...error.issues.map((i) => `${error.source}: lifeline:fleet${i.path === "" ? "" : `.${i.path}`}: ${i.message}`));
      else throw error;
    }
  }
  if (problems.length > 0) throw new FleetInputError(problems, "the stack files");
  return facts;
}
