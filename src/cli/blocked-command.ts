import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { outsideNodes, OutsideCheckError, type OutsideNode } from "../blocked/outside-check";
import { withRotation } from "../blocked/stack-rotations";
import { joinReports, nodesToRotate, verdictCounts, type JoinedReports, type NodeVerdict } from "../blocked/verdicts";
import { FleetConfigError } from "../config/issues";
import type { Report } from "../inside/report-code";
import { codesInFile, decodeCodes } from "../blocked/read-codes";
import { loadFleetPlan } from "../plan/plan";
import type { FleetPlan } from "../plan/types";
import { StackFileError } from "../scan/stack-open-ports";
import { CliError } from "./cli-error";
import { readStackFile } from "./stack-file";
import { formatTable } from "./table";

export interface BlockedCommandOptions {
  codes: string[];
  codesFile?: string;
  outside?: string;
  rotate?: boolean;
  stacks?: string;
  stacksDir: string;
  today: string;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Codes from the arguments and the file (one a line; blank lines and `#` lines skipped). */
function reports(options: BlockedCommandOptions): Report[] {
  const codes = [...options.codes, ...(options.codesFile === undefined ? [] : codesInFile(options.codesFile, "--codes-file"))];
  if (codes.length === 0) throw new CliError("give report codes as arguments or --codes-file FILE (one code a line), as people inside sent them from `lifeline inside`");
  return decodeCodes(codes);
}

function outside(options: BlockedCommandOptions): OutsideNode[] {
  if (options.outside === undefined) throw new CliError("give --outside FILE: the output of `lifeline check --json` run outside the country, for the same nodes");
  try {
    return outsideNodes(readText(options.outside, "--outside"), options.outside);
  } catch (error) {
    if (error instanceof OutsideCheckError) throw new CliError(error.message);
    throw error;
  }
}

const verdictWords: Record<NodeVerdict["verdict"], string> = {
  "blocked-inside": "BLOCKED INSIDE",
  down: "DOWN",
  working: "working",
  disputed: "disputed",
  unreported: "no report",
};

function verdictTable(joined: JoinedReports): string {
  const rows = joined.nodes.map((n) => {
    const inside = n.observations.length === 0 ? "-" : `${n.observations.filter((o) => o.works).length}/${n.observations.length} reports work`;
    const networks = [...new Set(n.observations.map((o) => o.network || "?"))].join(", ");
    return [n.node.name, n.node.address, n.node.source, n.worksOutside ? "ok" : "FAILED", inside, verdictWords[n.verdict], networks || "-"];
  });
  const table = formatTable([["NODE", "ADDRESS", "SOURCE", "OUTSIDE", "INSIDE", "VERDICT", "NETWORKS"], ...rows]);
  const counts = verdictCounts(joined)
    .filter((c) => c.nodes > 0)
    .map((c) => `${verdictWords[c.verdict]}: ${c.nodes} node${c.nodes === 1 ? "" : "s"}, backed by ${c.reports} report${c.reports === 1 ? "" : "s"}${c.networks.length > 0 ? ` from ${c.networks.length} network${c.networks.length === 1 ? "" : "s"} (${c.networks.join(", ")})` : ""}`);
  return `${table}\n\n${counts.join("\n")}`;
}

interface StackPlan {
  stack: string;
  path: string;
  plan: FleetPlan;
}

function stackPlans(options: BlockedCommandOptions): StackPlan[] {
  const names = (options.stacks ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw new CliError("--rotate needs --stacks a,b: the volunteers' stacks whose files (stacks/Pulumi.<name>.yaml) get the new generations");
  return names.map((stack) => {
    const { source, fleet } = readStackFile(options.stacksDir, stack);
    try {
      return { stack, path: join(options.stacksDir, `Pulumi.${stack}.yaml`), plan: loadFleetPlan(fleet, { source, today: options.today, allowPastExpiry: true }) };
    } catch (error) {
      if (error instanceof FleetConfigError) throw new CliError(error.message);
      throw error;
    }
  });
}

/** The stack a node is in: named by `check --stacks`, else the only given stack with that node name. */
function stackOf(node: OutsideNode, stacks: readonly StackPlan[]): StackPlan | string {
  const named = /^stack (.+)$/.exec(node.source)?.[1];
  if (named !== undefined) return stacks.find((s) => s.stack === named) ?? `${node.name} is in stack ${named}, which --stacks does not name`;
  const holding = stacks.filter((s) => s.plan.nodes.some((n) => n.name === node.name));
  if (holding.length === 1) return holding[0]!;
  if (holding.length === 0) return `${node.name} (${node.address}) is in none of the stacks ${stacks.map((s) => s.stack).join(", ")}`;
  return `${node.name} is a node of ${holding.map((s) => s.stack).join(" and ")}: run \`lifeline check --stacks\` outside so each link names its stack`;
}

const addressQuotas = new Set(["reservedIps", "elasticIpsPerRegion"]);

/** The account limit the update leans on: each rotated node holds two addresses for a while. */
function quotaNote(stack: StackPlan, rotated: readonly string[]): string[] {
  const rotatedNodes = stack.plan.nodes.filter((n) => rotated.includes(n.name));
  return stack.plan.quotaNeeds
    .filter((need) => addressQuotas.has(need.quota.key))
    .flatMap((need) => {
      const extra = rotatedNodes.filter((n) => n.provider === need.provider && (need.region === undefined || n.region === need.region)).length;
      if (extra === 0) return [];
      const total = need.needed + extra;
      const where = need.region === undefined ? "" : ` in ${need.region}`;
      const fits = total <= need.limit ? `within the limit of ${need.limit}` : `OVER the limit of ${need.limit}: ${need.quota.howToRaise}, then declare it under quotas`;
      return [`  quota: ${total} ${need.quota.counts}${where} during the update (${need.needed} + ${extra} while the old address is released), ${fits}`];
    });
}

/** Computes every stack file edit first: a problem anywhere leaves every file as it was. */
function rotate(joined: JoinedReports, options: BlockedCommandOptions, say: (text: string) => void): void {
  for (const n of joined.nodes) {
    if (n.verdict === "down") say(`not rotated: ${n.node.name} fails from outside too: a cloud problem (look at the provider's console), not a block`);
    if (n.verdict === "disputed") say(`not rotated: ${n.node.name}: the reports disagree; ask for more reports from other networks`);
  }
  const blocked = nodesToRotate(joined);
  if (blocked.length === 0) {
    say("nothing to rotate: no node is blocked inside");
    return;
  }
  const stacks = stackPlans(options);
  const problems: string[] = [];
  const edits = new Map<StackPlan, { text: string; changes: string[]; nodes: string[] }>();
  for (const n of blocked) {
    const stack = stackOf(n.node, stacks);
    if (typeof stack === "string") {
      problems.push(stack);
      continue;
    }
    const edit = edits.get(stack) ?? { text: readText(stack.path, "stack file"), changes: [], nodes: [] };
    try {
      const next = withRotation(edit.text, stack.path, n.node.name);
      edit.text = next.text;
      edit.changes.push(`${n.node.name} -> generation ${next.generation}`);
      edit.nodes.push(n.node.name);
    } catch (error) {
      if (error instanceof StackFileError) problems.push(error.message);
      else throw error;
    }
    edits.set(stack, edit);
  }
  if (problems.length > 0) throw new CliError(`nothing was rotated:\n  ${problems.join("\n  ")}`);
  for (const [stack, edit] of edits) {
    writeFileSync(stack.path, edit.text);
    say(`\n${stack.plan.volunteer} (stack ${stack.stack}): ${stack.path}: ${edit.changes.join(", ")}`);
    say(`  then: npx pulumi up --stack ${stack.stack}`);
    for (const line of quotaNote(stack, edit.nodes)) say(line);
    say("  and hand out the new links: lifeline share (the old ones stop working)");
  }
}

/**
 * `lifeline blocked`: report codes from inside joined with `check --json` from outside, per
 * node; with --rotate, a new generation for every node blocked inside, in its stack file.
 */
export function runBlocked(options: BlockedCommandOptions, out: (text: string) => void, info: (text: string) => void): void {
  if (!options.rotate && options.stacks !== undefined) throw new CliError("--stacks names the stack files for --rotate; add --rotate, or leave --stacks out");
  const joined = joinReports(reports(options), outside(options));
  for (const warning of joined.warnings) info(`warning: ${warning}`);
  out(verdictTable(joined));
  if (options.rotate) rotate(joined, options, out);
}
