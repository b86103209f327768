import { isIP } from "node:net";
import { z } from "zod";
import { fieldPath } from "../../fleet-input/relay-schemas";
import { parseSubscriptionBase } from "../subscriptions";

/** Where one share stack serves the pages and subscriptions: its `share` output. */
export interface ShareTarget {
  /** The outputs file it was read from (named in messages). */
  source: string;
  provider: "aws" | "digitalocean";
  bucket: string;
  region: string;
  /** The S3 API endpoint uploads go to. */
  endpoint: URL;
  /** The https CDN address the bucket's objects are read from, ending "/". */
  baseUrl: URL;
  /** Spaces has no bucket policy for the CDN: each object is uploaded readable by all. */
  uploadAcl?: "public-read";
}

/** Hosts with no per-bucket DNS name: a local S3 server, reached over plain http and by path. */
export function isLocalHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || (isIP(host) !== 0 && /^(127\.|::1$)/.test(host));
}

const endpoint = z.string().refine(
  (text) => {
    if (!URL.canParse(text)) return false;
    const url = new URL(text);
    return (url.protocol === "https:" || (url.protocol === "http:" && isLocalHost(url))) && url.username === "" && url.search === "";
  },
  { message: "must be the S3 API's https URL, e.g. https://fra1.digitaloceanspaces.com or https://s3.eu-central-1.amazonaws.com" },
);

// The contract of the share stack's `share` output (what `pulumi stack output --json` prints).
const shareOutput = z
  .object({
    provider: z.enum(["aws", "digitalocean"], { message: 'must be "aws" or "digitalocean"' }),
    // S3's rule for bucket names (DNS-safe, so virtual-hosted addressing works).
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'" }),
    region: z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/, { message: "must be a region such as eu-central-1 or fra1" }),
    endpoint,
    baseUrl: z.string(),
    uploadAcl: z.literal("public-read", { message: 'must be "public-read" when given' }).optional(),
  })
  .superRefine((share, ctx) => {
    if (share.uploadAcl !== undefined && share.provider !== "digitalocean") {
      ctx.addIssue({ code: "custom", path: ["uploadAcl"], message: "is for DigitalOcean Spaces only (an AWS share bucket is read through CloudFront, not by object ACLs)" });
    }
  });

/**
 * The share stack's outputs, from the text of a file `pulumi stack output --json` wrote: the
 * target, or every problem found, each naming the file and field.
 */
export function parseShareTarget(source: string, text: string): ShareTarget | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problems: [`${source}: is not JSON: give the file \`pulumi stack output --json --stack <share stack>\` writes`] };
  }
  const share = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)["share"] : undefined;
  if (share === undefined) {
    const fleet = typeof json === "object" && json !== null && "nodes" in json;
    return {
      problems: [
        `${source}: has no "share" output: ${fleet ? "this is a fleet stack's outputs; give the share stack's" : "give the outputs of the share stack"} (a stack with a share section in its config, after pulumi up)`,
      ],
    };
  }
  const parsed = shareOutput.safeParse(share);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${source}: ${fieldPath("share", issue.path)}: ${issue.message}`);
  const baseUrl = parsed.success ? parseSubscriptionBase(parsed.data.baseUrl) : undefined;
  if (baseUrl !== undefined && "problem" in baseUrl) problems.push(`${source}: share.baseUrl ${baseUrl.problem}`);
  if (!parsed.success || baseUrl === undefined || "problem" in baseUrl) return { problems };
  const { provider, bucket, region, uploadAcl } = parsed.data;
  return { source, provider, bucket, region, endpoint: new URL(parsed.data.endpoint), baseUrl, ...(uploadAcl !== undefined ? { uploadAcl } : {}) };
}
