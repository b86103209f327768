import { reservedIpCreationsPerMinute } from "../catalog/digitalocean";
import type { FleetPlan } from "./types";

/** The plan's words on DigitalOcean's reserved-IP rate limit, when the stack is big enough to meet it. */
export function describeAddressWaves(plan: FleetPlan): string[] {
  const count = [...plan.nodes, ...(plan.probe ? [plan.probe] : [])].filter((n) => n.provider === "digitalocean").length;
  if (count <= reservedIpCreationsPerMinute) return [];
  const waves = Math.ceil(count / reservedIpCreationsPerMinute);
  return [
    `DigitalOcean makes at most ${reservedIpCreationsPerMinute} reserved IPs a minute: this stack's ${count} addresses are made in ${waves} waves of up to ${reservedIpCreationsPerMinute}, ` +
      `each once the previous wave's droplets have their address, so creating the stack (or rotating more than ${reservedIpCreationsPerMinute} nodes at once) takes about ${waves} minutes longer. ` +
      "A refused creation is retried by the provider (4 times by default; npx pulumi config set digitalocean:httpRetryMax 10 retries more)",
  ];
}
