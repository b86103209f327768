import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCloudConfig } from "../cloudinit/render";
import { encodeUserData } from "../cloudinit/encode";
import { priceAgeWarning } from "../cost/price-age";
import { loadFleetPlan } from "../plan/plan";
import { planReport } from "./plan-report";
import { placeholderAddress, placeholderSecrets } from "./placeholder-secrets";
import { readStackFile } from "./stack-file";
import { loadSharePlan, stackKind } from "../share-stack/plan";
import { shareStackReport } from "../share-stack/report";

export interface PlanCommandOptions {
  stack: string;
  stacksDir: string;
  writeUserData?: string;
  today: string;
}

const placeholderNote =
  "# offline plan: the address and the secrets below are placeholders; `pulumi up` generates the real ones.\n";

/** `lifeline plan`: validate the stack offline, print nodes and cost, optionally write user data. */
export function runPlan(options: PlanCommandOptions, print: (text: string) => void): void {
  const { source, fleet, share } = readStackFile(options.stacksDir, options.stack);
  if (stackKind(fleet, share, source) === "share") {
    if (options.writeUserData !== undefined) print("a share stack has no nodes: no user data to write");
    print(shareStackReport(options.stack, source, loadSharePlan(share, source)));
    return;
  }
  const plan = loadFleetPlan(fleet, { source, today: options.today });
  print(planReport(options.stack, source, plan));
  const stale = priceAgeWarning(options.today);
  if (stale) print(stale);
  if (options.writeUserData === undefined) return;

  mkdirSync(options.writeUserData, { recursive: true });
  for (const node of [...plan.nodes, ...(plan.probe ? [plan.probe] : [])]) {
    const document = renderCloudConfig({ node, address: placeholderAddress, secrets: placeholderSecrets(node) });
    // Encoding checks the cloud's size limit; the file itself is the readable, decompressed text.
    const encoded = encodeUserData(node.provider, node.name, document);
    const [first, ...rest] = document.split("\n");
    writeFileSync(join(options.writeUserData, `${node.name}.yaml`), [first, placeholderNote.trimEnd(), ...rest].join("\n"));
    print(`wrote ${join(options.writeUserData, `${node.name}.yaml`)} (${encoded.bytes} bytes as sent, ${encoded.encoding})`);
  }
}
