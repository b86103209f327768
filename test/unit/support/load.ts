import { FleetConfigError, type ConfigIssue } from "../../../src/config/issues";
import { loadFleetPlan } from "../../../src/plan/plan";
import type { FleetPlan } from "../../../src/plan/types";
import { today } from "./fixtures";

/** Parses and plans a raw fleet the way the program and the CLI do. */
export function planOf(raw: unknown): FleetPlan {
  return loadFleetPlan(raw, { source: "test", today });
}

/** The issues a raw fleet is refused with; fails the test if it is accepted. */
export function issuesOf(raw: unknown): readonly ConfigIssue[] {
  try {
    planOf(raw);
  } catch (error) {
    if (error instanceof FleetConfigError) return error.issues;
    throw error;
  }
  throw new Error("the config was accepted");
}
