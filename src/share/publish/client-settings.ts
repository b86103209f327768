import { isLocalHost, type ShareTarget } from "./share-target";

/**
 * How the S3 client talks to one share stack's bucket: the plain data `new S3Client(...)` takes.
 * Both providers are signed with SigV4 for service "s3" in `region`.
 */
export interface S3ClientSettings {
  endpoint: string;
  /** SigV4's credential scope: AWS's region, or the Spaces region slug (fra1), which Spaces expects there. */
  region: string;
  /**
   * Virtual-hosted addressing (bucket.endpoint-host) on AWS and Spaces, as both document; path
   * style only for a local server on an IP address, which has no per-bucket host name.
   */
  forcePathStyle: boolean;
  /** Absent: the AWS SDK's standard chain (environment, profile, SSO, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * "WHEN_REQUIRED" on Spaces: DigitalOcean's API page warned that uploads from SDKs of 15 January
   * 2025 on failed (they add CRC32 checksums to every upload); checksums only where an operation
   * requires them is what older SDKs sent.
   */
  requestChecksumCalculation?: "WHEN_REQUIRED";
  responseChecksumValidation?: "WHEN_REQUIRED";
}

/** The environment variables Spaces keys are read from (DigitalOcean's names for them). */
export const spacesKeyVariables = ["SPACES_ACCESS_KEY_ID", "SPACES_SECRET_ACCESS_KEY"] as const;

/** The client settings for `target`, or what is missing to make them. */
export function s3ClientSettings(target: ShareTarget, env: Readonly<Record<string, string | undefined>>): S3ClientSettings | { problem: string } {
  const common = { endpoint: target.endpoint.href.replace(/\/$/, ""), region: target.region, forcePathStyle: isLocalHost(target.endpoint) };
  if (target.provider === "aws") return common;
  const [idVariable, secretVariable] = spacesKeyVariables;
  const accessKeyId = env[idVariable];
  const secretAccessKey = env[secretVariable];
  if (!accessKeyId || !secretAccessKey) {
    const missing = [!accessKeyId ? idVariable : undefined, !secretAccessKey ? secretVariable : undefined].filter(Boolean).join(" and ");
    return {
      problem: `${target.source}: the DigitalOcean Spaces bucket ${target.bucket} needs a Spaces key: set ${missing} (make a key at https://cloud.digitalocean.com/spaces/access_keys)`,
    };
  }
  return { ...common, credentials: { accessKeyId, secretAccessKey }, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" };
}
