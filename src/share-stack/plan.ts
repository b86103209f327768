import { FleetConfigError, type ConfigIssue } from "../config/issues";
import { pageCache, spacesCdnTtl, subscriptionCache } from "./cache";
import { storageEndpoint } from "./outputs";
import { parseShareConfig, type ShareConfig, type ShareProvider } from "./schema";

/** Default bucket names: a neutral word and 12 random hex digits (48 bits: no two stacks collide). */
export const defaultBucketPrefix = "files";
export const bucketSuffixBytes = 6;

export interface ShareStackCost {
  /** The flat monthly fee, before traffic (0 on AWS, which bills per use). */
  usdPerMonthFlat: number;
  lines: string[];
}

export interface ShareStackPlan {
  config: ShareConfig;
  provider: ShareProvider;
  region: string;
  /** The bucket's exact name when the stack file gives one; else it is `files-<random>`. */
  fixedBucketName?: string;
  endpoint: string;
  /** One line per resource `pulumi up` creates. */
  creates: string[];
  cost: ShareStackCost;
}

const costs: Record<ShareProvider, ShareStackCost> = {
  aws: {
    usdPerMonthFlat: 0,
    lines: [
      "the pages and subscriptions of a fleet are a few MB: S3 storage well under $0.01 a month",
      "CloudFront: the first 1 TB out and 10 million requests a month are free, then about $0.085/GB; its Functions: 2 million runs a month free",
    ],
  },
  digitalocean: {
    usdPerMonthFlat: 5,
    lines: [
      "the Spaces subscription: 250 GiB stored and 1 TiB out included, the CDN too; billed while the account has any Spaces bucket",
      "one subscription covers every bucket of the account: a second share stack on the same account adds nothing",
    ],
  },
};

function resourcesCreated(config: ShareConfig, bucket: string): string[] {
  if (config.provider === "aws") {
    return [
      `S3 bucket ${bucket} in ${config.region}: private, all four public-access blocks on, object ACLs off`,
      "bucket policy: only the CloudFront distribution may read objects (s3:GetObject); no one may list them (no s3:ListBucket)",
      "CloudFront origin access control (sigv4, always signed): the distribution's way into the bucket",
      "CloudFront distribution, https only, at https://dxxxxxxxxxxxx.cloudfront.net/ (a missing address answers 403)",
      `cache policies: sub/* ${subscriptionCache.defaultTtl} s (at most ${subscriptionCache.maxTtl} s), pages ${pageCache.defaultTtl} s (at most ${pageCache.maxTtl} s)`,
      "CloudFront Function on sub/*: serves the upload's subscription metadata as the subscription-userinfo and profile-update-interval headers",
    ];
  }
  return [
    `Spaces bucket ${bucket} in ${config.region}: private (file listing off); the publisher uploads each file public-read`,
    `Spaces CDN endpoint at https://${bucket}.${config.region}.cdn.digitaloceanspaces.com/, cache ${spacesCdnTtl} s`,
  ];
}

/**
 * The one way from a raw `lifeline:share` value to what a share stack creates, used by `plan`
 * and `pulumi up`: every problem is gathered and thrown together, before anything is made.
 */
export function loadSharePlan(raw: unknown, source: string): ShareStackPlan {
  const parsed = parseShareConfig(raw);
  if (!parsed.ok) throw new FleetConfigError(source, parsed.issues, "share");
  const { config } = parsed;
  return {
    config,
    provider: config.provider,
    region: config.region,
    ...(config.name ? { fixedBucketName: config.name } : {}),
    endpoint: storageEndpoint(config.provider, config.region),
    creates: resourcesCreated(config, config.name ?? `${defaultBucketPrefix}-<12 random hex>`),
    cost: costs[config.provider],
  };
}

/**
 * A stack is a fleet stack (`lifeline:fleet`) or a share stack (`lifeline:share`), never both:
 * the share stack's bucket must outlive every node, and fleets are destroyed when they expire
 * or when a volunteer leaves; a subscription people imported must not go with them.
 */
export function stackKind(fleet: unknown, share: unknown, source: string): "fleet" | "share" {
  if (share === undefined || share === null) return "fleet";
  if (fleet === undefined || fleet === null) return "share";
  const issue: ConfigIssue = {
    path: "",
    message:
      "a share stack declares only lifeline:share, and this file has lifeline:fleet too: the bucket people's subscriptions live in must outlive any fleet (fleets expire and are destroyed). Put the share block in a stack file of its own",
    example: "stacks/Pulumi.example-share.yaml",
  };
  throw new FleetConfigError(source, [issue], "share");
}
