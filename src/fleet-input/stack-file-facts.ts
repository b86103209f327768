import { CliError } from "../cli/cli-error";
import { readStackFile } from "../cli/stack-file";
import { FleetConfigError } from "../config/issues";
import { loadFleetPlan } from "../plan/plan";
import { FleetInputError } from "./errors";
import type { StackFacts } from "./types";

/** A stack file's problems as lines naming the file and field; other errors are thrown on. */
export function stackFileProblems(error: unknown): string[] {
  if (error instanceof CliError) return [error.message];
  if (error instanceof FleetConfigError) return error.issues.map((i) => `${error.source}: lifeline:fleet${i.path === "" ? "" : `.${i.path}`}: ${i.message}`);
  throw error;
}

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
      problems.push(...stackFileProblems(error));
    }
  }
  if (problems.length > 0) throw new FleetInputError(problems, "the stack files");
  return facts;
}
