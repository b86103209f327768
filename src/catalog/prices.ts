/**
 * What the clouds charge, as data: one place to update, with the day it was checked and where
 * from. `plan` warns once this table is older than `priceTableMaxAgeDays` (src/cost/price-age.ts).
 *
 * Checked 2026-11-25. Confirmed against a source that day: every us-east-1 figure (AWS's EC2,
 * EBS and public IPv4 pages as quoted in public cost write-ups of 2026), ap-southeast-2's t3/t3a
 * and egress, ap-south-1's t4g, the 100 GB of free egress aggregated across regions, the IPv4
 * charge on every public address (EIPs in use too), DigitalOcean's droplet prices, its pooled
 * transfer and $0.01/GiB overage, and that powered-off droplets and unassigned reserved IPs bill.
 * The other AWS regions' figures are AWS's list prices as last read, not re-checked here:
 * re-check them (and `reservedIpUnassignedUsdPerMonth`) on the pages in `sources`.
 */
export const priceTableChecked = "2026-11-25";

export const priceSources = {
  aws: [
    "https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, per region; data transfer out to the internet)",
    "https://aws.amazon.com/ebs/pricing/ (gp3 per GB-month)",
    "https://aws.amazon.com/vpc/pricing/ (public IPv4 addresses, $0.005/h each, in use or not)",
  ],
  digitalocean: [
    "https://www.digitalocean.com/pricing/droplets (monthly price = 672 hours; included transfer)",
    "https://docs.digitalocean.com/platform/billing/bandwidth/ (pooled per account, accrued hourly, $0.01/GiB over)",
    "https://docs.digitalocean.com/products/networking/reserved-ips/details/pricing/ (free while assigned)",
  ],
} as const;

/** The T families lifeline offers; AWS prices micro at 2x and small at 4x the nano price. */
export type AwsFamily = "t4g" | "t3" | "t3a";

export interface AwsRegionPrices {
  /** On-demand Linux USD per hour of the family's nano size. */
  nanoUsdPerHour: Readonly<Record<AwsFamily, number>>;
  /** Data transfer out to the internet, USD per GB, first 10 TB tier. */
  egressUsdPerGB: number;
  /** EBS gp3 storage, USD per GB-month. */
  gp3UsdPerGBMonth: number;
}

const region = (t4g: number, t3: number, t3a: number, egressUsdPerGB: number, gp3UsdPerGBMonth: number): AwsRegionPrices => ({
  nanoUsdPerHour: { t4g, t3, t3a },
  egressUsdPerGB,
  gp3UsdPerGBMonth,
});

export const awsPrices = {
  regions: {
    "us-east-1": region(0.0042, 0.0052, 0.0047, 0.09, 0.08),
    "us-east-2": region(0.0042, 0.0052, 0.0047, 0.09, 0.08),
    "us-west-1": region(0.005, 0.0062, 0.0056, 0.09, 0.096),
    "us-west-2": region(0.0042, 0.0052, 0.0047, 0.09, 0.08),
    "ca-central-1": region(0.0046, 0.0058, 0.0052, 0.09, 0.088),
    "eu-central-1": region(0.0048, 0.006, 0.0054, 0.09, 0.0952),
    "eu-central-2": region(0.0053, 0.0066, 0.0059, 0.09, 0.1048),
    "eu-west-1": region(0.0046, 0.0057, 0.0051, 0.09, 0.088),
    "eu-west-2": region(0.0047, 0.0059, 0.0053, 0.09, 0.0928),
    "eu-west-3": region(0.0047, 0.0059, 0.0053, 0.09, 0.0928),
    "eu-north-1": region(0.0043, 0.0054, 0.0049, 0.09, 0.0836),
    "eu-south-1": region(0.0049, 0.0061, 0.0055, 0.09, 0.0924),
    "ap-south-1": region(0.0028, 0.0056, 0.0051, 0.1093, 0.0912),
    "ap-southeast-1": region(0.0053, 0.0066, 0.0059, 0.12, 0.096),
    "ap-southeast-2": region(0.0053, 0.0066, 0.0059, 0.114, 0.096),
    "ap-northeast-1": region(0.0054, 0.0068, 0.0061, 0.114, 0.096),
    "ap-northeast-2": region(0.0052, 0.0065, 0.0058, 0.126, 0.0912),
    "me-central-1": region(0.0051, 0.0064, 0.0058, 0.11, 0.0968),
    "me-south-1": region(0.0051, 0.0064, 0.0058, 0.117, 0.0968),
    "il-central-1": region(0.005, 0.0063, 0.0057, 0.11, 0.0968),
    "sa-east-1": region(0.0067, 0.0084, 0.0076, 0.15, 0.152),
  } as Readonly<Record<string, AwsRegionPrices>>,
  sizeMultiplier: { nano: 1, micro: 2, small: 4 } as Readonly<Record<string, number>>,
  /** Every public IPv4 address, an Elastic IP in use included, since February 2024. */
  publicIpv4UsdPerHour: 0.005,
  /** Internet egress free each month, for the whole account across regions and services. */
  freeEgressGBPerMonth: 100,
  /** AWS prorates GB-month storage over 730 hours. */
  hoursPerMonth: 730,
} as const;

export interface DigitalOceanSizePrices {
  usdPerMonth: number;
  /** Outbound transfer the size adds to the account's pool each month, GiB. */
  includedTransferGiB: number;
}

export const digitalOceanPrices = {
  sizes: {
    "s-1vcpu-512mb-10gb": { usdPerMonth: 4, includedTransferGiB: 500 },
    "s-1vcpu-1gb": { usdPerMonth: 6, includedTransferGiB: 1000 },
    "s-1vcpu-2gb": { usdPerMonth: 12, includedTransferGiB: 2000 },
    "s-2vcpu-2gb": { usdPerMonth: 18, includedTransferGiB: 3000 },
    "s-2vcpu-4gb": { usdPerMonth: 24, includedTransferGiB: 4000 },
  } as Readonly<Record<string, DigitalOceanSizePrices>>,
  /** A droplet bills by the hour up to its monthly price, reached after 672 hours (28 days). */
  hoursPerMonthlyCap: 672,
  /** Outbound transfer beyond the account's pool. Inbound is free. */
  transferOverageUsdPerGiB: 0.01,
  /** Free while assigned to a droplet; billed while unassigned (price not confirmed here). */
  reservedIpUnassignedUsdPerMonth: 5,
} as const;
