import { z } from "zod";
import { providerCatalogs } from "../catalog";
import { formatPath, type ConfigIssue } from "../config/issues";

/** Where a share stack can put its bucket: where the provider sells object storage and its CDN. */
export const shareProviders = ["aws", "digitalocean"] as const;
export type ShareProvider = (typeof shareProviders)[number];

/** Regions with S3 (every commercial region has it; these are the ones lifeline's catalog knows). */
const awsRegions = providerCatalogs.aws.regions;
/** Regions with Spaces Standard Storage and its CDN (DigitalOcean's availability matrix, March 2026). */
export const spacesRegions = ["nyc3", "sfo2", "sfo3", "ams3", "fra1", "lon1", "tor1", "sgp1", "blr1", "syd1", "atl1"] as const;

/**
 * A bucket name that S3 and Spaces both take (3-63 lowercase letters, digits and hyphens, a
 * letter or digit at each end). It is not secret and on DigitalOcean it is part of every
 * address people get, so it must not say what the bucket is for.
 */
const bucketName = z
  .string({ error: "must be a bucket name, as text" })
  .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: "must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit" })
  .refine((name) => !/lifeline|proxy|vpn|relay/.test(name), {
    error: 'must not say what it serves (no "lifeline", "proxy", "vpn" or "relay"): on DigitalOcean it is part of every address people get',
  });

export const shareSchema = z
  .strictObject({
    provider: z.enum(shareProviders, { error: `must be one of: ${shareProviders.join(", ")}` }),
    region: z.string({ error: "must be a region name" }),
    /** The bucket's exact name; by default a neutral name with a random part (`files-<12 hex>`). */
    name: bucketName.optional(),
  })
  .superRefine((share, ctx) => {
    const regions: readonly string[] = share.provider === "aws" ? awsRegions : spacesRegions;
    if (!regions.includes(share.region)) {
      const what = share.provider === "aws" ? "an AWS region lifeline knows" : "a DigitalOcean region with Spaces";
      ctx.addIssue({ code: "custom", path: ["region"], message: `"${share.region}" is not ${what}; use one of: ${regions.join(", ")}` });
    }
  });

export type ShareConfig = z.infer<typeof shareSchema>;

const examples: Readonly<Record<string, string>> = {
  "": "lifeline:share: { provider: aws, region: eu-central-1 }   (see stacks/Pulumi.example-share.yaml)",
  provider: "provider: aws   (or digitalocean)",
  region: "region: eu-central-1   (digitalocean: fra1)",
  name: "name: files-7f3a9c   (or leave it out for a random one)",
};

function shareIssue(path: ReadonlyArray<PropertyKey>, message: string): ConfigIssue {
  const at = formatPath(path);
  const example = examples[at];
  return example === undefined ? { path: at, message } : { path: at, message, example };
}

/** Every problem with a raw `lifeline:share` value, or the valid config. */
export function parseShareConfig(raw: unknown): { ok: true; config: ShareConfig } | { ok: false; issues: ConfigIssue[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [shareIssue([], "must be a block with provider and region")] };
  }
  const result = shareSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") return shareIssue(issue.path, `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (a share stack takes provider, region and name)`);
      if (issue.code === "invalid_type" && issue.input === undefined) return shareIssue(issue.path, "is required");
      return shareIssue(issue.path, issue.message);
    }),
  };
}
