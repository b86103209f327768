import type { FleetPlan, PlannedNode } from "./types";

/** Labels on every resource, so a volunteer's console shows what is whose and until when. */
export function resourceTags(plan: FleetPlan, node: PlannedNode, stack: string): Record<string, string> {
  return {
    Name: node.name,
    Project: "lifeline",
    Stack: stack,
    Volunteer: plan.volunteer,
    Expires: plan.expires,
  };
}

/** DigitalOcean tags are bare strings of letters, digits, `:`, `-` and `_`. */
export function digitalOceanTags(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).map(([key, value]) =>
    `${key.toLowerCase()}:${value.replace(/[^A-Za-z0-9:_-]+/g, "_")}`.slice(0, 255),
  );
}
