import { providerCatalogs, type ProviderName } from "../catalog";
import { nodeRates, UnknownPriceError } from "../cost/node-rates";
import type { VolunteerRequest } from "./description";

/**
 * Nodes one new account can hold while leaving room for an update: replacing a node (a
 * rotation, a new image) makes the new address and VM before the old ones go, so one more
 * node's worth of every limit must stay free. Per region, the same for region-scoped limits.
 */
export function newAccountCapacity(provider: ProviderName): { perAccount: number; perRegion: number } {
  const catalog = providerCatalogs[provider];
  const perNode = (quota: (typeof catalog.quotas)[number]) => (quota.perNode === "one" ? 1 : (catalog.sizes[catalog.defaultSize]?.vcpus ?? 1));
  // With one node's headroom: the most k with (k + 1) x perNode <= limit.
  const most = (scope: "account" | "region") =>
    Math.min(Infinity, ...catalog.quotas.filter((q) => q.scope === scope).map((q) => Math.floor(q.newAccountDefault / perNode(q)) - 1));
  return { perAccount: most("account"), perRegion: most("region") };
}

/** Regions a new account can use at once with the default size priced: no opt-in regions. */
export function usableRegions(provider: ProviderName): string[] {
  const catalog = providerCatalogs[provider];
  return catalog.regions.filter((region) => {
    if (catalog.optIn?.regions.includes(region)) return false;
    try {
      nodeRates(provider, region, catalog.defaultSize);
      return true;
    } catch (error) {
      if (error instanceof UnknownPriceError) return false;
      throw error;
    }
  });
}

export interface PlacedVolunteer extends VolunteerRequest {
  /** Regions of the volunteer's nodes, one node in each. */
  regions: string[];
}

/**
 * Places every volunteer's nodes, one a region within an account, each time in the regions of
 * its cloud that hold the fewest nodes of the whole fleet so far (ties in catalogue order):
 * the fleet's nodes per region then differ by at most one, so one data centre's block takes
 * out as few as can be. Each account stays within a new account's limits with an update's
 * headroom; a volunteer asking for more is a problem naming them.
 */
export function spreadFleet(requests: readonly VolunteerRequest[]): { placed: PlacedVolunteer[]; problems: string[] } {
  const load = new Map<string, number>();
  const problems: string[] = [];
  const placed = requests.map((request): PlacedVolunteer => {
    const { title } = providerCatalogs[request.provider];
    const regions = usableRegions(request.provider);
    const capacity = newAccountCapacity(request.provider);
    // One node a region keeps a region's block to one node of the account; perRegion >= 1 allows it.
    const most = Math.min(capacity.perAccount, regions.length * Math.min(1, capacity.perRegion));
    if (request.nodes > most) {
      problems.push(
        `${request.stack}: ${request.nodes} ${title} nodes do not fit a new account with room for an update (at most ${most}); ` +
          `ask for ${most}, or spread them over more volunteers`,
      );
    }
    const chosen = [...regions]
      .map((region, order) => ({ region, order }))
      .sort((a, b) => (load.get(`${request.provider}/${a.region}`) ?? 0) - (load.get(`${request.provider}/${b.region}`) ?? 0) || a.order - b.order)
      .slice(0, Math.min(request.nodes, most))
      .map((r) => r.region);
    for (const region of chosen) load.set(`${request.provider}/${region}`, (load.get(`${request.provider}/${region}`) ?? 0) + 1);
    return { ...request, regions: chosen };
  });
  return { placed, problems };
}
