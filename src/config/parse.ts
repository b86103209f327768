import { fleetSchema, type FleetConfig } from "./schema";
import { FleetConfigError, issuesFromZod, type ConfigIssue } from "./issues";

const missingFleet: ConfigIssue = {
  path: "",
  message: "is missing: put a `lifeline:fleet:` block under `config:` in the stack file",
  example: "see stacks/Pulumi.example-do.yaml for a whole, valid fleet",
};

export type FleetShape =
  | { ok: true; config: FleetConfig }
  /** `partial` holds every top-level key that is valid on its own, for cross-field checks. */
  | { ok: false; issues: ConfigIssue[]; partial: Partial<FleetConfig> };

/** Checks the shape of a raw `lifeline:fleet` value, key by key where the whole fails. */
export function parseFleetShape(raw: unknown): FleetShape {
  if (raw === undefined || raw === null) return { ok: false, issues: [missingFleet], partial: {} };
  const result = fleetSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  const partial: Record<string, unknown> = {};
  if (typeof raw === "object") {
    for (const [key, schema] of Object.entries(fleetSchema.shape)) {
      const part = schema.safeParse((raw as Record<string, unknown>)[key]);
      if (part.success) partial[key] = part.data;
    }
  }
  return { ok: false, issues: issuesFromZod(result.error), partial: partial as Partial<FleetConfig> };
}

/** Validates the shape of a raw `lifeline:fleet` value; throws every problem at once. */
export function parseFleetConfig(raw: unknown, source: string): FleetConfig {
  const shape = parseFleetShape(raw);
  if (!shape.ok) throw new FleetConfigError(source, shape.issues);
  return shape.config;
}
