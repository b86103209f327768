import { fleetSchema, type FleetConfig } from "./schema";
import { FleetConfigError, issuesFromZod } from "./issues";

/** Validates a raw `lifeline:fleet` value; throws every problem at once. */
export function parseFleetConfig(raw: unknown, source: string): FleetConfig {
  if (raw === undefined || raw === null) {
    throw new FleetConfigError(source, [
      {
        path: "",
        message: "is missing: put a `lifeline:fleet:` block under `config:` in the stack file",
        example: "see stacks/Pulumi.example-do.yaml for a whole, valid fleet",
      },
    ]);
  }
  const result = fleetSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new FleetConfigError(source, issuesFromZod(result.error));
  return result.data;
}
