import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { renderCloudConfig } from "../../../src/cloudinit/render";
import { loadFleetPlan } from "../../../src/plan/plan";
import type { PlannedNode } from "../../../src/plan/types";
import { probeTokenLength } from "../../../src/probe/protocol";
import { probeSecretOwner } from "../../../src/probe/secrets";

export interface RenderedProbe {
  node: PlannedNode;
  /** The plain-text user data a DigitalOcean probe gets. */
  userData: string;
  /** The token `pulumi up` would generate: kept out of every log and assertion message. */
  token: string;
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A probe-only stack made from the local-nodes stack's volunteer, budget and expiry plus
 * `probe: { provider: digitalocean, region: fra1 }`, planned and rendered through the same path as
 * `pulumi up`, with a token shaped like @pulumi/random's.
 */
export function renderTestProbe(address: string): RenderedProbe {
  const stack = parse(readFileSync(join(__dirname, "..", "stacks", "Pulumi.local-nodes.yaml"), "utf8")).config["lifeline:fleet"];
  const raw = { volunteer: stack.volunteer, budgetPerDay: stack.budgetPerDay, expires: stack.expires, probe: { provider: "digitalocean", region: "fra1" } };
  const plan = loadFleetPlan(raw, { source: "probe stack (test)", today: "2026-11-25" });
  if (!plan.probe) throw new Error("the probe stack planned no probe");
  const token = Array.from({ length: probeTokenLength }, () => alphanumeric[randomInt(alphanumeric.length)]).join("");
  const userData = renderCloudConfig({ node: plan.probe, address, secrets: { [probeSecretOwner]: { token } } });
  return { node: plan.probe, userData, token };
}
