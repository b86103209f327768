import type { ShareTarget } from "./share-target";

/** What an S3 client error says, reduced to the fields a message needs (nothing from the request). */
export interface UploadError {
  /** The S3 error code or the SDK's error name: AccessDenied, NoSuchBucket, CredentialsProviderError... */
  name: string;
  /** The system error code of a network failure (ECONNREFUSED, ENOTFOUND...). */
  code?: string;
  httpStatus?: number;
}

/** The message for a failed upload: what went wrong, where, and what to do. */
export function uploadFailureMessage(target: ShareTarget, key: string, error: UploadError): string {
  const where = `uploading ${key} to ${target.bucket} (${target.provider}, ${target.source})`;
  const keys = target.provider === "aws" ? "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)" : "SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY";
  if (error.name === "CredentialsProviderError") return `${where}: no AWS credentials found: set ${keys}, or log in with \`aws sso login\``;
  if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "AuthorizationHeaderMalformed"].includes(error.name)) {
    return `${where}: the storage refused the key (${error.name}): check ${keys}, and that share.region (${target.region}) is the bucket's region`;
  }
  if (error.name === "AccessDenied" || error.httpStatus === 403) return `${where}: access denied: the key in ${keys} may not write to this bucket; give it write access to ${target.bucket}`;
  if (error.name === "NoSuchBucket" || error.httpStatus === 404) return `${where}: no such bucket at ${target.endpoint.host}: run \`pulumi up\` on the share stack, then write its outputs again`;
  if (error.code !== undefined) return `${where}: could not reach ${target.endpoint.host} (${error.code}): check the network, and share.endpoint in the outputs file`;
  return `${where}: refused (${error.name}${error.httpStatus !== undefined ? `, HTTP ${error.httpStatus}` : ""}); nothing more was uploaded there`;
}
