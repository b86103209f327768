import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument } from "yaml";
import { providerCatalogs } from "../catalog";
import { formatPath } from "../config/issues";
import { FleetInputError } from "../fleet-input/errors";
import { stackFileProblems } from "../fleet-input/stack-file-facts";
import { fleetDescriptionSchema, volunteerRequests, type FleetDescription } from "../fleet-new/description";
import { spreadFleet } from "../fleet-new/spread";
import { nextSteps, stackFileText, volunteerFleet } from "../fleet-new/stack-files";
import { loadFleetPlan } from "../plan/plan";
import { CliError } from "./cli-error";

/** The description file, YAML or JSON (JSON is YAML), checked; every problem names its field. */
export function readFleetDescription(path: string): FleetDescription {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code})`}`, 1);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new CliError(`${path} is not valid YAML or JSON:\n${document.errors.map((e) => e.message).join("\n")}`, 1);
  return checkedDescription(document.toJS() as unknown, path);
}

export function checkedDescription(raw: unknown, source: string): FleetDescription {
  const parsed = fleetDescriptionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FleetInputError(
      parsed.error.issues.map((i) => `${source}: ${formatPath(i.path) || "(top)"}: ${i.message}`),
      `the fleet description`,
    );
  }
  return parsed.data;
}

/**
 * Every volunteer's stack file from one description: spread over regions and clouds, within a
 * new account's limits with an update's headroom, each checked as `plan` checks it. All are
 * checked before any is written; an existing stack file is never overwritten.
 */
export function writeVolunteerStacks(description: FleetDescription, options: { stacksDir: string; projectStacksDir: string; today: string }, print: (text: string) => void): void {
  const requests = volunteerRequests(description);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.stack)) problems.push(`${r.stack}: named twice; each volunteer needs a stack name of their own`);
    seen.add(r.stack);
  }
  const spread = spreadFleet(requests);
  problems.push(...spread.problems);
  const files = spread.placed.map((volunteer) => {
    const path = join(options.stacksDir, `Pulumi.${volunteer.stack}.yaml`);
    const source = relative(process.cwd(), path) || path;
    const fleet = volunteerFleet(volunteer, description);
    if (existsSync(path)) problems.push(`${source}: exists already; move it away, or leave ${volunteer.stack} out of the description`);
    try {
      loadFleetPlan(fleet, { source, today: options.today });
    } catch (error) {
      problems.push(...stackFileProblems(error));
    }
    return { volunteer, path, source, text: stackFileText(volunteer, fleet) };
  });
  if (problems.length > 0) throw new FleetInputError(problems, "the stacks the description asks for");
  mkdirSync(options.stacksDir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.text, { flag: "wx" });
  const nodes = files.reduce((sum, f) => sum + f.volunteer.regions.length, 0);
  print(`wrote ${files.length} stack file${files.length === 1 ? "" : "s"}, ${nodes} nodes:`);
  for (const provider of new Set(files.map((f) => f.volunteer.provider))) {
    const own = files.filter((f) => f.volunteer.provider === provider);
    const perRegion = new Map<string, number>();
    for (const region of own.flatMap((f) => f.volunteer.regions)) perRegion.set(region, (perRegion.get(region) ?? 0) + 1);
    print(
      `  ${providerCatalogs[provider].title}: ${own.length} account${own.length === 1 ? "" : "s"}, ${[...perRegion.values()].reduce((a, b) => a + b, 0)} nodes in ${perRegion.size} regions ` +
        `(at most ${Math.max(...perRegion.values())} in one)`,
    );
  }
  print("");
  print("Next steps, for each volunteer (send them their part):");
  // Pulumi reads stack files from stacks/ (Pulumi.yaml's stackConfigDir): elsewhere, say so.
  const inStacks = options.stacksDir === options.projectStacksDir;
  if (!inStacks) print(`(written outside ${options.projectStacksDir}: move them there before pulumi stack init)\n`);
  for (const file of files) print(`${nextSteps(file.volunteer, file.source, inStacks ? "" : ` --stacks-dir ${options.stacksDir}`).join("\n")}\n`);
}

/** `lifeline fleet new <description>`. */
export function runFleetNew(options: { description: string; stacksDir: string; projectStacksDir: string; today: string }, print: (text: string) => void): void {
  writeVolunteerStacks(readFleetDescription(options.description), options, print);
}
