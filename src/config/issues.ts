import type { z } from "zod";
import { exampleFor } from "./examples";

/** One thing wrong with a fleet config: where, what, and what right looks like. */
export interface ConfigIssue {
  path: string;
  message: string;
  example?: string;
}

/** `["groups", 0, "regions", 1]` -> `groups[0].regions[1]`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : `${i === 0 ? "" : "."}${String(s)}`))
    .join("");
}

export function issueAt(segments: ReadonlyArray<PropertyKey>, message: string): ConfigIssue {
  const path = formatPath(segments);
  const example = exampleFor(path);
  return example === undefined ? { path, message } : { path, message, example };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (check the spelling)`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  return issue.message;
}

export function issuesFromZod(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => issueAt(issue.path, describeZodIssue(issue)));
}

/** Raised when a config cannot become a plan; carries every issue, not just the first. */
export class FleetConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
    /** The stack file's `lifeline:<section>` the issues are in: `fleet`, or `share` for a share stack. */
    readonly section: "fleet" | "share" = "fleet",
  ) {
    super(formatIssues(source, issues, section));
    this.name = "FleetConfigError";
  }
}

/** A message a person can act on: one block per issue, each with an example to copy. */
export function formatIssues(source: string, issues: readonly ConfigIssue[], section: "fleet" | "share" = "fleet"): string {
  const header = `${source}: ${issues.length} problem${issues.length === 1 ? "" : "s"} in the ${section} config, nothing was created:`;
  const blocks = issues.map((issue) => {
    const where = issue.path === "" ? `lifeline:${section}` : `lifeline:${section}.${issue.path}`;
    const example = issue.example ? `\n      e.g. ${issue.example.replace(/\n/g, "\n           ")}` : "";
    return `  - ${where}: ${issue.message}${example}`;
  });
  return [header, ...blocks].join("\n");
}
