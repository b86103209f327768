import { providerCatalogs } from "../catalog";
import { roundCents, stackCost } from "../cost/stack-cost";
import { portInSpecs } from "../abuse/ports";
import { issueAt, type ConfigIssue } from "../config/issues";
import { defaultMaxNodes, type FleetConfig } from "../config/schema";
import { nodeName } from "./expand";
import { groupsWithProbe, quotaIssues } from "./quotas";

type Issues = ConfigIssue[];

function openPortIssues(openPorts: number[], issues: Issues): void {
  const seen = new Set<number>();
  openPorts.forEach((p, i) => {
    if (seen.has(p)) issues.push(issueAt(["openPorts", i], `${p} is listed twice`));
    seen.add(p);
  });
}

function relayIssues(config: Partial<FleetConfig>, relays: FleetConfig["relays"], issues: Issues): void {
  const portOwner = new Map<number, number>();
  const kindOwner = new Map<string, number>();
  relays.forEach((relay, i) => {
    const add = (key: string, message: string) => issues.push(issueAt(["relays", i, key], message));
    const other = portOwner.get(relay.port);
    if (other !== undefined) add("port", `port ${relay.port} is already taken by relays[${other}]; each relay needs its own port`);
    else portOwner.set(relay.port, i);
    const sameKind = kindOwner.get(relay.kind);
    if (sameKind !== undefined) add("kind", `a ${relay.kind} relay is already declared at relays[${sameKind}]; one relay of each kind per node`);
    else kindOwner.set(relay.kind, i);
    if (config.openPorts && !config.openPorts.includes(relay.port)) {
      add("port", `port ${relay.port} is not in openPorts [${config.openPorts.join(", ")}]; a relay on a blocked port reaches nobody`);
    }
    if (config.ssh?.enabled && relay.port === 22) {
      add("port", "port 22 is SSH's while ssh.enabled is true; move the relay or turn SSH off");
    }
  });
}

/**
 * openPorts, relays and groups may be left out only by a stack that declares a probe: that is
 * how a volunteer finds the open ports before planning relays on them.
 */
function requiredWithoutProbe(config: Partial<FleetConfig>, declaresProbe: boolean, issues: Issues): void {
  if (declaresProbe) return;
  const hint = '(or declare only a probe, to find the open ports first: see README, "Finding the open ports")';
  if (config.openPorts?.length === 0) issues.push(issueAt(["openPorts"], `needs at least one known-open port ${hint}`));
  if (config.relays?.length === 0) issues.push(issueAt(["relays"], `needs at least one relay ${hint}`));
  if (config.groups?.length === 0) issues.push(issueAt(["groups"], `needs at least one node group ${hint}`));
}

function groupIssues(config: Partial<FleetConfig>, groups: FleetConfig["groups"], issues: Issues): void {
  const regionOwner = new Map<string, number>();
  groups.forEach((group, g) => {
    group.regions.forEach((region, r) => {
      const key = `${group.provider}/${region}`;
      const other = regionOwner.get(key);
      if (other !== undefined && other !== g) {
        issues.push(issueAt(["groups", g, "regions", r], `${providerCatalogs[group.provider].title} ${region} is already in groups[${other}]; node names would collide`));
      }
      regionOwner.set(key, g);
    });
  });

  const nodes = groups.reduce((sum, g) => sum + g.regions.length * g.nodesPerRegion, 0);
  const maxNodes = config.maxNodes ?? defaultMaxNodes;
  if (nodes > maxNodes) {
    const hint = maxNodes === defaultMaxNodes ? `; set maxNodes: ${nodes} to allow more on purpose` : "; raise maxNodes or lower nodesPerRegion";
    issues.push(issueAt(["groups"], `${nodes} nodes exceed the limit of ${maxNodes}${hint}`));
  }

  if (config.budgetPerDay !== undefined && config.trafficGbPerNodeDay !== undefined) budgetIssues(config.budgetPerDay, config.trafficGbPerNodeDay, groupsWithProbe({ groups, probe: config.probe }), issues);
}

/** The estimate, traffic included, against the budget: what a volunteer will really pay. */
function budgetIssues(budgetPerDay: number, gbPerNodeDay: number, groups: FleetConfig["groups"], issues: Issues): void {
  const nodes = groups.flatMap((g) =>
    g.regions.flatMap((region) => Array.from({ length: g.nodesPerRegion }, () => ({ provider: g.provider, region, size: g.size ?? providerCatalogs[g.provider].defaultSize }))),
  );
  const cost = stackCost(nodes, gbPerNodeDay);
  const usdPerDay = roundCents(cost.usdPerDay);
  if (usdPerDay > budgetPerDay) {
    issues.push(
      issueAt(
        ["budgetPerDay"],
        `the nodes cost about $${usdPerDay.toFixed(2)}/day ($${cost.fixedUsdPerDay.toFixed(2)} for the VMs and addresses, ` +
          `$${cost.trafficUsdPerDay.toFixed(2)} for traffic at ${gbPerNodeDay} GB per node a day), over the budget of $${budgetPerDay}/day; ` +
          "raise the budget, plan fewer or smaller nodes, or (if the nodes will be quieter) lower trafficGbPerNodeDay",
      ),
    );
  }
}

function rotationIssues(config: Partial<FleetConfig>, rotations: FleetConfig["rotations"], issues: Issues): void {
  if (!config.groups) return;
  const names = new Set(
    config.groups.flatMap((g) => g.regions.flatMap((region) => Array.from({ length: g.nodesPerRegion }, (_, i) => nodeName(g.provider, region, i)))),
  );
  for (const name of Object.keys(rotations)) {
    if (!names.has(name)) {
      const known = [...names].slice(0, 10).join(", ");
      issues.push(issueAt(["rotations", name], `no node of this stack is called "${name}"; nodes: ${known || "none"}`));
    }
  }
}

function abuseIssues(abuse: FleetConfig["abuse"], issues: Issues): void {
  abuse.allowedPorts.forEach((p, i) => {
    if (portInSpecs(p, abuse.blockedPorts)) {
      issues.push(issueAt(["abuse", "allowedPorts", i], `${p} is also in abuse.blockedPorts, which always wins; remove it from one of the two lists`));
    }
  });
}

/**
 * Checks that span several keys. It takes whatever keys are valid on their own, so that a
 * config with shape errors still gets its cross-field problems reported in the same run.
 * `declaresProbe`: whether the raw config has a probe, valid or not.
 */
export function fleetIssues(config: Partial<FleetConfig>, today: string, allowPastExpiry = false, declaresProbe = config.probe !== undefined): ConfigIssue[] {
  const issues: Issues = [];
  // An invalid probe is left out of `config` but still declared: it is reported on its own.
  requiredWithoutProbe(config, declaresProbe, issues);
  if (config.openPorts) openPortIssues(config.openPorts, issues);
  if (config.relays) relayIssues(config, config.relays, issues);
  if (config.groups) groupIssues(config, config.groups, issues);
  if (config.abuse) abuseIssues(config.abuse, issues);
  if (config.rotations) rotationIssues(config, config.rotations, issues);
  issues.push(...quotaIssues(config));
  if (config.expires !== undefined && !allowPastExpiry && config.expires <= today) {
    issues.push(issueAt(["expires"], `${config.expires} is not after today (${today}); give the date the fleet should be torn down`));
  }
  return issues;
}
