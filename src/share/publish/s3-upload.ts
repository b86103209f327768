import type { S3ClientSettings } from "./client-settings";
import type { UploadError } from "./upload-failure";
import type { PlannedUpload } from "./upload-plan";

/**
 * Puts each planned object into `bucket` with the real S3 client, one after another (a few dozen
 * small files). The first failure stops the run and is returned, reduced to what a message needs.
 */
export async function putObjects(settings: S3ClientSettings, bucket: string, uploads: readonly PlannedUpload[]): Promise<{ failed?: { key: string; error: UploadError } }> {
  // The pinned SDK runs on the Node 20 package.json allows; its notice about later releases
  // needing Node 22 would read as a failure in the organizer's terminal.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const { PutObjectCommand, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ ...settings, maxAttempts: 3 });
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
        const e = error as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
        const httpStatus = e.$metadata?.httpStatusCode;
        return { failed: { key: upload.key, error: { name: e.Code ?? e.name ?? "Error", ...(e.code !== undefined ? { code: e.code } : {}), ...(httpStatus !== undefined ? { httpStatus } : {}) } } };
      }
    }
    return {};
  } finally {
    client.destroy();
  }
}
