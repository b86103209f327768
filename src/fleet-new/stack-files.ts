import { Document, Scalar } from "yaml";
import { providerCatalogs } from "../catalog";
import type { FleetDescription } from "./description";
import { defaultRelays } from "./description";
import type { PlacedVolunteer } from "./spread";

/** The `lifeline:fleet` value of one volunteer's stack: what `plan` and `pulumi up` read. */
export function volunteerFleet(volunteer: PlacedVolunteer, description: Pick<FleetDescription, "expires" | "openPorts" | "relays">): Record<string, unknown> {
  return {
    volunteer: volunteer.volunteer,
    openPorts: description.openPorts,
    relays: description.relays ?? defaultRelays(description.openPorts),
    groups: [{ provider: volunteer.provider, regions: volunteer.regions, nodesPerRegion: 1, size: providerCatalogs[volunteer.provider].defaultSize }],
    budgetPerDay: volunteer.budgetPerDay,
    expires: description.expires,
  };
}

/** The stack file's text, with a head saying where it came from and how to get going. */
export function stackFileText(volunteer: PlacedVolunteer, fleet: Record<string, unknown>): string {
  const { title } = providerCatalogs[volunteer.provider];
  const head = [
    `# ${volunteer.volunteer}'s stack on ${title}: ${volunteer.regions.length} node${volunteer.regions.length === 1 ? "" : "s"}, one in each of ${volunteer.regions.join(", ")}.`,
    "# Sized for a new account, with room for one more node while an update replaces one.",
    `# Check it offline: npm run plan -- ${volunteer.stack}`,
  ];
  const document = new Document({ config: { "lifeline:fleet": fleet } });
  // Quoted, as in the examples: a bare date is a timestamp to some YAML readers.
  const expires = document.getIn(["config", "lifeline:fleet", "expires"], true);
  if (expires instanceof Scalar) expires.type = Scalar.QUOTE_DOUBLE;
  return `${head.join("\n")}\n${document.toString()}`;
}

/** What the volunteer runs next, in order, with their stack's name filled in. */
export function nextSteps(volunteer: PlacedVolunteer, path: string, stacksDirFlag: string): string[] {
  const { stack, provider } = volunteer;
  const token =
    provider === "digitalocean"
      ? `npx pulumi config set --secret digitalocean:token --stack ${stack}   # paste a DigitalOcean token (API > Generate New Token)`
      : `export AWS_PROFILE=...   # or aws configure: the account's credentials; none go in the stack file`;
  return [
    `${volunteer.volunteer}${volunteer.volunteer === stack ? "" : ` (stack ${stack})`}: ${providerCatalogs[provider].title}, ${volunteer.regions.join(", ")} -> ${path}`,
    `  npm run plan -- ${stack}${stacksDirFlag}`,
    `  npx pulumi stack init ${stack} --secrets-provider=passphrase   # keep the passphrase: without it the stack cannot be changed`,
    `  ${token}`,
    `  npx pulumi up --stack ${stack}`,
    `  npx pulumi stack output --json --show-secrets --stack ${stack} > outputs/${stack}.json   # send it to the organizers, privately`,
  ];
}
