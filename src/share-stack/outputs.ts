import type { ShareProvider } from "./schema";

/**
 * The `share` output of a share stack: what `lifeline share --publish` reads to upload. A
 * contract, kept exactly: no secret in it (upload credentials come from the publisher's own
 * environment).
 */
export interface ShareStackOutput {
  provider: ShareProvider;
  bucket: string;
  region: string;
  /** The S3 API endpoint the publisher signs requests for. */
  endpoint: string;
  /** Where people fetch what was published: the CDN's https address, ending in "/". */
  baseUrl: string;
  /** The canned ACL each upload carries (DigitalOcean only: its bucket stays private). */
  uploadAcl?: "public-read";
}

/** The S3 API endpoint of a provider's region. */
export function storageEndpoint(provider: ShareProvider, region: string): string {
  return provider === "aws" ? `https://s3.${region}.amazonaws.com` : `https://${region}.digitaloceanspaces.com`;
}

/** An https base URL with one trailing slash, from a CDN's host name. */
export function cdnBaseUrl(host: string): string {
  return `https://${host.replace(/\/+$/, "")}/`;
}

export function shareStackOutput(provider: ShareProvider, bucket: string, region: string, cdnHost: string): ShareStackOutput {
  const base = { provider, bucket, region, endpoint: storageEndpoint(provider, region), baseUrl: cdnBaseUrl(cdnHost) };
  return provider === "digitalocean" ? { ...base, uploadAcl: "public-read" } : base;
}
