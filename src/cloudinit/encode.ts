import type { ProviderName } from "../catalog";
import { deterministicGzip } from "./deterministic-gzip";

/** What each cloud accepts as user data, and how lifeline sends it there. */
export const userDataLimits: Readonly<Record<ProviderName, { maxBytes: number; gzip: boolean }>> = {
  // DigitalOcean takes plain text only, up to 64 KiB.
  digitalocean: { maxBytes: 64 * 1024, gzip: false },
  // AWS allows 16 KB before base64; cloud-init unpacks gzip, so nodes always get it compressed,
  // byte for byte the same whoever runs `pulumi up` (see deterministic-gzip.ts).
  aws: { maxBytes: 16 * 1024, gzip: true },
};

export interface EncodedUserData {
  /** Plain text for DigitalOcean; base64 of gzip for AWS (`userDataBase64`). */
  value: string;
  encoding: "plain" | "gzip+base64";
  /** Bytes the cloud counts against its limit. */
  bytes: number;
}

export class UserDataTooLargeError extends Error {}

/** The bytes a cloud receives for this cloud-config: gzip for AWS, plain text for DigitalOcean. */
function userDataBody(provider: ProviderName, cloudConfig: string): Buffer {
  return userDataLimits[provider].gzip ? deterministicGzip(cloudConfig) : Buffer.from(cloudConfig, "utf8");
}

/** What the cloud counts against its limit, without enforcing it. */
export function userDataBytes(provider: ProviderName, cloudConfig: string): number {
  return userDataBody(provider, cloudConfig).length;
}

export function encodeUserData(provider: ProviderName, nodeName: string, cloudConfig: string): EncodedUserData {
  const limit = userDataLimits[provider];
  const body = userDataBody(provider, cloudConfig);
  if (body.length > limit.maxBytes) {
    throw new UserDataTooLargeError(
      `node ${nodeName}: user data is ${body.length} bytes${limit.gzip ? " gzipped" : ""}, over ${provider}'s limit of ${limit.maxBytes}; use fewer SSH keys or relays`,
    );
  }
  return limit.gzip
    ? { value: body.toString("base64"), encoding: "gzip+base64", bytes: body.length }
    : { value: cloudConfig, encoding: "plain", bytes: body.length };
}
