import type { ProviderName } from "../catalog";
import { awsPrices, digitalOceanPrices, type AwsFamily } from "../catalog/prices";

/** The root disk of every AWS node (infra/aws-node.ts); DigitalOcean's disk is in the droplet price. */
export const awsRootVolumeGB = 8;

/** What one node costs while it exists, whether or not anyone uses it, and what its traffic costs. */
export interface NodeRates {
  provider: ProviderName;
  region: string;
  size: string;
  computeUsdPerHour: number;
  /** Its public IPv4: AWS bills every one, an Elastic IP in use too; DigitalOcean's is free while assigned. */
  addressUsdPerHour: number;
  diskUsdPerHour: number;
  /** Compute, address and disk. */
  fixedUsdPerHour: number;
  /** Outbound transfer beyond any allowance, USD per GB (DigitalOcean bills per GiB: converted). */
  egressUsdPerGB: number;
  /** What the node adds to its account's monthly transfer pool, GB (DigitalOcean; 0 on AWS). */
  pooledTransferGBPerMonth: number;
}

export const bytesPerGiB = 2 ** 30;
const gbPerGiB = bytesPerGiB / 1e9;

export class UnknownPriceError extends Error {}

function awsRates(region: string, size: string): NodeRates {
  const prices = awsPrices.regions[region];
  const [family, tier] = size.split(".") as [string, string | undefined];
  const nano = prices?.nanoUsdPerHour[family as AwsFamily];
  const multiplier = tier === undefined ? undefined : awsPrices.sizeMultiplier[tier];
  if (!prices || nano === undefined || multiplier === undefined) throw new UnknownPriceError(`no AWS price for ${size} in ${region}`);
  const computeUsdPerHour = nano * multiplier;
  const addressUsdPerHour = awsPrices.publicIpv4UsdPerHour;
  const diskUsdPerHour = (awsRootVolumeGB * prices.gp3UsdPerGBMonth) / awsPrices.hoursPerMonth;
  return {
    provider: "aws",
    region,
    size,
    computeUsdPerHour,
    addressUsdPerHour,
    diskUsdPerHour,
    fixedUsdPerHour: computeUsdPerHour + addressUsdPerHour + diskUsdPerHour,
    egressUsdPerGB: prices.egressUsdPerGB,
    pooledTransferGBPerMonth: 0,
  };
}

function digitalOceanRates(region: string, size: string): NodeRates {
  const prices = digitalOceanPrices.sizes[size];
  if (!prices) throw new UnknownPriceError(`no DigitalOcean price for ${size}`);
  const computeUsdPerHour = prices.usdPerMonth / digitalOceanPrices.hoursPerMonthlyCap;
  return {
    provider: "digitalocean",
    region,
    size,
    computeUsdPerHour,
    addressUsdPerHour: 0,
    diskUsdPerHour: 0,
    fixedUsdPerHour: computeUsdPerHour,
    egressUsdPerGB: digitalOceanPrices.transferOverageUsdPerGiB / gbPerGiB,
    pooledTransferGBPerMonth: prices.includedTransferGiB * gbPerGiB,
  };
}

/** Prices of one node of `size` in `region`, from the price table. */
export function nodeRates(provider: ProviderName, region: string, size: string): NodeRates {
  return provider === "aws" ? awsRates(region, size) : digitalOceanRates(region, size);
}
