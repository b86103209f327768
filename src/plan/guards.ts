import { providerCatalogs } from "../catalog";
import type { FleetConfig } from "../config/schema";
import { issueAt, type ConfigIssue } from "../config/issues";
import { defaultMaxNodes } from "../config/schema";
import type { FleetCost, PlannedNode } from "./types";

/** Checks that span several parts of a config that is already well-formed. */
export function fleetIssues(
  config: FleetConfig,
  nodes: readonly PlannedNode[],
  cost: FleetCost,
  today: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push(issueAt(path, message));

  const seenOpen = new Set<number>();
  config.openPorts.forEach((p, i) => {
    if (seenOpen.has(p)) add(["openPorts", i], `${p} is listed twice`);
    seenOpen.add(p);
  });

  const portOwner = new Map<number, number>();
  const kindOwner = new Map<string, number>();
  config.relays.forEach((relay, i) => {
    const other = portOwner.get(relay.port);
    if (other !== undefined) {
      add(["relays", i, "port"], `port ${relay.port} is already taken by relays[${other}]; each relay needs its own port`);
    } else {
      portOwner.set(relay.port, i);
    }
    const sameKind = kindOwner.get(relay.kind);
    if (sameKind !== undefined) {
      add(["relays", i, "kind"], `a ${relay.kind} relay is already declared at relays[${sameKind}]; one relay of each kind per node`);
    } else {
      kindOwner.set(relay.kind, i);
    }
    if (!config.openPorts.includes(relay.port)) {
      add(["relays", i, "port"], `port ${relay.port} is not in openPorts [${config.openPorts.join(", ")}]; a relay on a blocked port reaches nobody`);
    }
    if (config.ssh.enabled && relay.port === 22) {
      add(["relays", i, "port"], "port 22 is SSH's while ssh.enabled is true; move the relay or turn SSH off");
    }
  });

  const regionOwner = new Map<string, number>();
  config.groups.forEach((group, g) => {
    group.regions.forEach((region, r) => {
      const key = `${group.provider}/${region}`;
      const other = regionOwner.get(key);
      if (other !== undefined && other !== g) {
        add(["groups", g, "regions", r], `${providerCatalogs[group.provider].title} ${region} is already in groups[${other}]; node names would collide`);
      }
      regionOwner.set(key, g);
    });
  });

  if (nodes.length > config.maxNodes) {
    const hint = config.maxNodes === defaultMaxNodes
      ? `; set maxNodes: ${nodes.length} to allow more on purpose`
      : "; raise maxNodes or lower nodesPerRegion";
    add(["groups"], `${nodes.length} nodes exceed the limit of ${config.maxNodes}${hint}`);
  }

  if (cost.usdPerDay > config.budgetPerDay) {
    add(["budgetPerDay"], `the nodes cost about $${cost.usdPerDay.toFixed(2)}/day, over the budget of $${config.budgetPerDay}/day; raise the budget or plan fewer or smaller nodes`);
  }

  if (config.expires <= today) {
    add(["expires"], `${config.expires} is not after today (${today}); give the date the fleet should be torn down`);
  }
  return issues;
}
