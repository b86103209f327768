import { defaultTrafficGbPerNodeDay } from "../config/schema";
import { costCsv, costJson, costTable } from "../cost/cost-formats";
import { CostInputError, fleetCosts } from "../cost/fleet-costs";
import { priceAgeWarning } from "../cost/price-age";
import { FleetInputError } from "../fleet-input/errors";
import { fleetFromOutputFiles } from "../fleet-input/read-inputs";
import { factsFromStackFiles } from "../fleet-input/stack-file-facts";
import type { StackFacts } from "../fleet-input/types";
import { CliError } from "./cli-error";
import { numberArg, oneFleetSource } from "./fleet-args";

export interface CostCommandOptions {
  outputs?: string[];
  stacks?: string;
  stacksDir: string;
  days: string;
  gbPerNodeDay?: string;
  csv?: boolean;
  json?: boolean;
  today: string;
}

export interface CostOutput {
  /** The table, CSV or JSON. */
  out: (text: string) => void;
  /** Warnings; beside a table they are part of it, beside CSV or JSON they go apart. */
  warn: (text: string) => void;
}

/** `--stacks` reads stack files (offline); `--outputs` reads what `pulumi stack output` printed. */
export function readStackFacts(options: { outputs?: string[]; stacks?: string; stacksDir: string; today: string }): StackFacts[] {
  const source = oneFleetSource(options, "stack files in --stacks-dir, read offline");
  return "outputs" in source ? fleetFromOutputFiles(source.outputs).stacks : factsFromStackFiles(options.stacksDir, source.stacks, options.today);
}

/** `lifeline cost`: who pays what per hour, per day and for N days, traffic included. */
export function runCost(options: CostCommandOptions, output: CostOutput): void {
  if (options.csv && options.json) throw new CliError("give --csv or --json, not both");
  const days = numberArg("--days", options.days, 1, 3650, true);
  const gbPerNodeDay = options.gbPerNodeDay === undefined ? undefined : numberArg("--gb-per-node-day", options.gbPerNodeDay, 0, 100_000, false);
  const stacks = readStackFacts(options);
  let report;
  try {
    report = fleetCosts(stacks, { days, today: options.today, defaultGbPerNodeDay: defaultTrafficGbPerNodeDay, ...(gbPerNodeDay !== undefined ? { gbPerNodeDay } : {}) });
  } catch (error) {
    if (error instanceof CostInputError) throw new FleetInputError(error.problems);
    throw error;
  }
  const machine = options.csv || options.json;
  const notes = [...report.expiryNotes, ...report.warnings, priceAgeWarning(options.today)].filter((w): w is string => w !== undefined);
  if (options.json) output.out(costJson(report));
  else if (options.csv) output.out(costCsv(report));
  else {
    const traffic = gbPerNodeDay === undefined ? "each stack's own trafficGbPerNodeDay" : `${gbPerNodeDay} GB per node a day`;
    output.out(`${costTable(report)}\n\ntraffic priced at ${traffic}; SHARE is each volunteer's part of the fleet's cost per day; FOR ${days} DAYS stops at each stack's expiry\n`);
  }
  for (const note of notes) (machine ? output.warn : output.out)(note);
}
