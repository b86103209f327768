import type { ShareStackPlan } from "./plan";
import { providerCatalogs } from "../catalog";

/** What `lifeline plan` prints for a share stack: what `pulumi up` creates, and its cost. */
export function shareStackReport(stack: string, source: string, plan: ShareStackPlan): string {
  const title = providerCatalogs[plan.provider].title;
  return [
    `Share stack ${stack} (${source}): subscriptions and share pages on ${title} ${plan.region}`,
    "",
    "pulumi up creates:",
    ...plan.creates.map((line) => `  - ${line}`),
    "",
    `Cost: ${plan.cost.usdPerMonthFlat > 0 ? `$${plan.cost.usdPerMonthFlat.toFixed(2)} a month flat` : "no flat fee, pay per use"}`,
    ...plan.cost.lines.map((line) => `  - ${line}`),
    "",
    `Uploads go to ${plan.endpoint}; after pulumi up, \`npx pulumi stack output --json --stack ${stack} > out/share-stack.json\` gives share --publish the bucket and its address.`,
  ].join("\n");
}
