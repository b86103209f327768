import { deployFleet } from "../../../infra/fleet";
import { loadPlan } from "../../../infra/load-plan";
import type { FleetPlan } from "../../../src/plan/types";
import { today } from "./fixtures";
import { installMocks, settled, type MockAccount, type RecordedResource } from "./pulumi-mocks";

/**
 * Runs the Pulumi program for `stack` under the mocks, as `pulumi up` would, and waits until every
 * resource is registered: the resources and the plan they came from.
 */
export async function deployUnderMocks(stack: string, fleet: unknown, account: MockAccount = {}): Promise<{ recorded: RecordedResource[]; plan: FleetPlan }> {
  const recorded = await installMocks(stack, fleet, account);
  const plan = loadPlan(stack, today);
  deployFleet(plan, stack);
  await settled(recorded);
  return { recorded, plan };
}
