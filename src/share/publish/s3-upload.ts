import type { S3Client } from "@aws-sdk/client-s3";
import type { S3ClientSettings } from "./client-settings";
import { terminalField } from "../../sinks/terminal-text";
import type { UploadError } from "./upload-failure";
import type { PlannedUpload } from "./upload-plan";

/**
 * Puts each planned object into `bucket` with the real S3 client, one after another (a few dozen
 * small files). The first failure stops the run and is returned, reduced to what a message needs.
 */
export async function putObjects(settings: S3ClientSettings, bucket: string, uploads: readonly PlannedUpload[]): Promise<{ failed?: { key: string; error: UploadError } }> {
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  const client = await s3Client(settings);
  try {
    for (const upload of uploads) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: upload.key,
            Body: Buffer.from(upload.body, "utf8"),
            ContentType: upload.contentType,
            CacheControl: upload.cacheControl,
            ...(upload.metadata !== undefined ? { Metadata: { ...upload.metadata } } : {}),
            ...(upload.acl !== undefined ? { ACL: upload.acl } : {}),
          }),
        );
      } catch (error) {
        return { failed: { key: upload.key, error: uploadError(error) } };
      }
    }
    return {};
  } finally {
    client.destroy();
  }
}

/**
 * The keys under `prefix`, read with the organizer's own key (strangers are refused the listing):
 * to find subscriptions this run no longer writes.
 */
export async function listKeys(settings: S3ClientSettings, bucket: string, prefix: string): Promise<{ keys: string[] } | { error: UploadError }> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const client = await s3Client(settings);
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return { keys };
  } catch (error) {
    return { error: uploadError(error) };
  } finally {
    client.destroy();
  }
}

async function s3Client(settings: S3ClientSettings): Promise<S3Client> {
  // The pinned SDK runs on the Node 20 package.json allows; its notice about later releases
  // needing Node 22 would read as a failure in the organizer's terminal.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({ ...settings, maxAttempts: 3 });
}

/**
 * An SDK error reduced to what a message needs: nothing of the request or its signature. The
 * error code comes from whatever server the outputs file's endpoint names, so it is printed only
 * as one short line with no control characters.
 */
export function uploadError(error: unknown): UploadError {
  const e = error as { name?: unknown; Code?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const field = (value: unknown) => (typeof value === "string" ? terminalField(value).slice(0, 80) : undefined);
  const name = field(e.Code) ?? field(e.name) ?? "Error";
  const code = field(e.code);
  const httpStatus = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  return { name, ...(code !== undefined ? { code } : {}), ...(httpStatus !== undefined ? { httpStatus } : {}) };
}
