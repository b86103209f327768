import * as aws from "@pulumi/aws";
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { awsOfferProblems, digitalOceanOfferProblems, sizesByRegion, type RegionOffer } from "../src/plan/offerings";
import type { FleetPlan } from "../src/plan/types";

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function settle<T, U>(promise: Promise<T>, shape: (value: T) => U): Promise<U | { error: string }> {
  try {
    return shape(await promise);
  } catch (error) {
    return { error: reasonOf(error) };
  }
}

/**
 * Asks each cloud, before any resource is registered, whether the account can really have
 * what the plan names: a DigitalOcean region that takes new Droplets and sells the size there,
 * a size available to the account, an AWS region that offers the instance type. The catalog
 * only knows what is sold somewhere; a closed region or an unsold size would otherwise fail
 * half-way through `pulumi up`. Every problem is reported in one plain RunError.
 */
export async function checkOfferings(plan: FleetPlan, stack: string): Promise<void> {
  const doNeeds = sizesByRegion(plan, "digitalocean");
  const awsNeeds = sizesByRegion(plan, "aws");
  const usedDoSizes = [...new Set([...doNeeds.values()].flat())];
  const [doRegions, doSizes, awsOffers] = await Promise.all([
    Promise.all(
      [...doNeeds.keys()].map(async (region) => [region, await settle(digitalocean.getRegion({ slug: region }), (r): RegionOffer => ({ available: r.available, sizes: r.sizes }))] as const),
    ),
    usedDoSizes.length === 0
      ? Promise.resolve([])
      : settle(digitalocean.getSizes({ filters: [{ key: "slug", values: usedDoSizes }] }), (r) => r.sizes.map((s) => ({ slug: s.slug, available: s.available }))),
    Promise.all(
      [...awsNeeds].map(
        async ([region, types]) =>
          [region, await settle(aws.ec2.getInstanceTypeOfferings({ locationType: "region", filters: [{ name: "instance-type", values: types }], region }), (r) => r.instanceTypes)] as const,
      ),
    ),
  ]);
  const problems = [...digitalOceanOfferProblems(doNeeds, new Map(doRegions), doSizes), ...awsOfferProblems(awsNeeds, new Map(awsOffers))];
  if (problems.length > 0) {
    throw new pulumi.RunError(
      [`stacks/Pulumi.${stack}.yaml: ${problems.length} problem${problems.length === 1 ? "" : "s"} with regions and sizes, as the clouds answer now; nothing was created:`, ...problems.map((p) => `  - ${p}`)].join("\n"),
    );
  }
}
