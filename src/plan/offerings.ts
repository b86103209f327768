import type { FleetPlan } from "./types";

/** The regions and sizes of one provider the stack's nodes (the probe included) need, sizes per region. */
export function sizesByRegion(plan: FleetPlan, provider: "digitalocean" | "aws"): Map<string, string[]> {
  const byRegion = new Map<string, Set<string>>();
  for (const node of [...plan.nodes, ...(plan.probe ? [plan.probe] : [])]) {
    if (node.provider !== provider) continue;
    (byRegion.get(node.region) ?? byRegion.set(node.region, new Set()).get(node.region)!).add(node.size);
  }
  return new Map([...byRegion].sort(([a], [b]) => a.localeCompare(b)).map(([region, sizes]) => [region, [...sizes].sort()]));
}

/** What a DigitalOcean region says of itself (`digitalocean.getRegion`). */
export interface RegionOffer {
  available: boolean;
  sizes: readonly string[];
}

/** What `digitalocean.getSizes` says of a size. */
export interface SizeOffer {
  slug: string;
  available: boolean;
}

/** Problems with DigitalOcean's answers, one line each; `undefined` answers could not be had (their reason given). */
export function digitalOceanOfferProblems(
  needs: Map<string, string[]>,
  regions: Map<string, RegionOffer | { error: string }>,
  sizes: readonly SizeOffer[] | { error: string },
): string[] {
  const problems: string[] = [];
  const used = [...new Set([...needs.values()].flat())].sort();
  if ("error" in sizes) problems.push(`DigitalOcean: could not look up the sizes ${used.join(", ")}: ${sizes.error}`);
  else {
    for (const size of used) {
      const offer = sizes.find((s) => s.slug === size);
      if (!offer || !offer.available) problems.push(`DigitalOcean size ${size} is not available to this account now: pick another size (npm run plan lists them)`);
    }
  }
  for (const [region, wanted] of needs) {
    const offer = regions.get(region);
    if (!offer) continue;
    if ("error" in offer) {
      problems.push(`DigitalOcean ${region}: could not look up the region: ${offer.error}`);
      continue;
    }
    if (!offer.available) {
      problems.push(`DigitalOcean ${region} takes no new Droplets now (the region says available: false): move its nodes to another region`);
      continue;
    }
    const missing = wanted.filter((size) => !offer.sizes.includes(size));
    if (missing.length > 0) problems.push(`DigitalOcean ${region} does not sell ${missing.join(", ")} now: pick a size it sells, or another region`);
  }
  return problems;
}

/** Problems with AWS's instance type offerings per region (`aws.ec2.getInstanceTypeOfferings`). */
export function awsOfferProblems(needs: Map<string, string[]>, offered: Map<string, readonly string[] | { error: string }>): string[] {
  return [...needs].flatMap(([region, types]) => {
    const offer = offered.get(region);
    if (!offer) return [];
    if ("error" in offer) return [`AWS ${region}: could not look up the instance types offered: ${offer.error}`];
    const missing = types.filter((t) => !offer.includes(t));
    return missing.length === 0 ? [] : [`AWS ${region} does not offer ${missing.join(", ")}: pick another size, or another region`];
  });
}
