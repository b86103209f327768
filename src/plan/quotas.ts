import { providerCatalogs, providerNames, type AccountQuota, type ProviderName } from "../catalog";
import type { ConfigIssue } from "../config/issues";
import { issueAt } from "../config/issues";
import type { DeclaredLimit, DeclaredQuotas } from "../config/quotas-schema";
import type { FleetConfig } from "../config/schema";

/** How much of one account limit a stack uses, and the limit that applies to it. */
export interface QuotaNeed {
  provider: ProviderName;
  quota: AccountQuota;
  /** Set for per-region limits. */
  region?: string;
  needed: number;
  /** The limit the stack file declares, or a new account's default. */
  limit: number;
  declared: boolean;
}

/** An opt-in region the stack uses, and whether the stack file says it is enabled. */
export interface OptInRegionUse {
  provider: ProviderName;
  region: string;
  declared: boolean;
}

type Groups = FleetConfig["groups"];

/**
 * Every node the stack runs, as groups: the declared ones and the probe as a group of one. The
 * probe counts against the same account limits as any droplet or instance.
 */
export function groupsWithProbe(config: Partial<Pick<FleetConfig, "groups" | "probe">>): Groups {
  const probe = config.probe;
  const probeGroup = probe ? [{ provider: probe.provider, regions: [probe.region], nodesPerRegion: 1, size: probe.size }] : [];
  return [...(config.groups ?? []), ...probeGroup];
}

function declaredLimit(value: DeclaredLimit | undefined, region: string | undefined): number | undefined {
  if (typeof value === "number" || value === undefined) return value;
  return region === undefined ? undefined : value[region];
}

/** Every account limit the stack's nodes count against, per account or per region. */
export function quotaNeeds(groups: Groups, declared: DeclaredQuotas): QuotaNeed[] {
  return providerNames.flatMap((provider) => {
    const catalog = providerCatalogs[provider];
    const own = groups.filter((g) => g.provider === provider);
    return catalog.quotas.flatMap((quota) => {
      const use = new Map<string | undefined, number>();
      for (const group of own) {
        const spec = catalog.sizes[group.size ?? catalog.defaultSize];
        const perNode = quota.perNode === "one" ? 1 : (spec?.vcpus ?? 0);
        for (const region of group.regions) {
          const key = quota.scope === "region" ? region : undefined;
          use.set(key, (use.get(key) ?? 0) + group.nodesPerRegion * perNode);
        }
      }
      return [...use].filter(([, needed]) => needed > 0).map(([region, needed]): QuotaNeed => {
        const raised = declaredLimit(declared[provider]?.limits[quota.key], region);
        return {
          provider,
          quota,
          ...(region !== undefined ? { region } : {}),
          needed,
          limit: raised ?? quota.newAccountDefault,
          declared: raised !== undefined,
        };
      });
    });
  });
}

/** Opt-in regions with nodes in them. */
export function optInRegionUses(groups: Groups, declared: DeclaredQuotas): OptInRegionUse[] {
  return providerNames.flatMap((provider) => {
    const optIn = providerCatalogs[provider].optIn;
    if (!optIn) return [];
    const used = groups.filter((g) => g.provider === provider && g.nodesPerRegion > 0).flatMap((g) => g.regions);
    return [...new Set(used)]
      .filter((region) => optIn.regions.includes(region))
      .map((region) => ({ provider, region, declared: declared[provider]?.optInRegions.includes(region) ?? false }));
  });
}

function where(need: QuotaNeed): string {
  return need.region === undefined ? "" : ` in ${need.region}`;
}

/**
 * Limits the stack would run into, and opt-in regions not enabled: refused like any other
 * config problem, before anything is created, each with where to raise or enable it.
 */
export function quotaIssues(config: Partial<FleetConfig>): ConfigIssue[] {
  // An invalid quotas block is reported by the schema; guessing around it would mislead.
  if (!config.groups || !config.quotas) return [];
  const declared = config.quotas;
  const overLimit = quotaNeeds(groupsWithProbe(config), declared)
    .filter((need) => need.needed > need.limit)
    .map((need) => {
      const { provider, quota } = need;
      const title = providerCatalogs[provider].title;
      const path = `quotas.${provider}.${quota.key}`;
      const limit = need.declared ? `${path} declares ${need.limit}` : `a new ${title} account has ${need.limit}`;
      return issueAt(
        ["quotas", provider, quota.key],
        `this stack needs ${need.needed} ${quota.counts}${where(need)}, but ${limit} (what else the account runs counts too). ` +
          `Ask for more: ${quota.howToRaise}; then set ${path} to the new limit, or plan fewer nodes`,
      );
    });
  const notEnabled: ConfigIssue[] = [];
  const places = [
    ...config.groups.flatMap((group, g) => (group.nodesPerRegion === 0 ? [] : group.regions.map((region, r) => ({ provider: group.provider, region, path: `groups[${g}].regions[${r}]` })))),
    ...(config.probe ? [{ provider: config.probe.provider, region: config.probe.region, path: "probe.region" }] : []),
  ];
  places.forEach(({ provider, region, path }) => {
    const { title, optIn } = providerCatalogs[provider];
    if (!optIn || !optIn.regions.includes(region) || declared[provider]?.optInRegions.includes(region)) return;
    notEnabled.push({
      path,
      message: `${region} is an opt-in ${title} region, off in a new account. Enable it: ${optIn.howToEnable} ${region}; then list it in quotas.${provider}.optInRegions`,
      example: `quotas: { ${provider}: { optInRegions: [${region}] } }`,
    });
  });
  return [...overLimit, ...notEnabled];
}

/** Lines for people: each limit beyond a new account's default, and each opt-in region. */
export function describeAccountNeeds(needs: readonly QuotaNeed[], optIn: readonly OptInRegionUse[]): string[] {
  const beyond = needs.filter((n) => n.needed > n.quota.newAccountDefault);
  if (beyond.length === 0 && optIn.length === 0) return ["account quotas: within a new account's defaults"];
  return [
    "account quotas beyond a new account's defaults (raise them before pulumi up, then declare them under quotas:):",
    ...beyond.map((n) => {
      const title = providerCatalogs[n.provider].title;
      const declared = n.declared ? `declared ${n.limit}` : "not declared";
      return `  - ${title} ${n.quota.counts}${where(n)}: ${n.needed} (new accounts: ${n.quota.newAccountDefault}; ${declared} as quotas.${n.provider}.${n.quota.key})`;
    }),
    ...optIn.map((u) => `  - ${providerCatalogs[u.provider].title} opt-in region ${u.region}: ${u.declared ? "declared enabled" : "not enabled"} (quotas.${u.provider}.optInRegions)`),
  ];
}
