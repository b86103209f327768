/**
 * What the AWS share stack hands S3 and CloudFront, as plain data: the bucket policy and the
 * viewer-response function. Kept here, not in infra/, so tests read and run them directly.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal: { Service: string } | { AWS: string } | "*";
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/**
 * Only this distribution may read, and only objects: `s3:GetObject` on `<bucket>/*`, never
 * `s3:ListBucket`. Without the list permission S3 answers a missing key (and the bare `/`)
 * with 403, not 404, so a stranger cannot learn which batch addresses exist.
 */
export function cdnReadPolicy(bucketArn: string, distributionArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CdnReadsObjects",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${bucketArn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
      },
    ],
  };
}

/**
 * S3 user metadata the publisher sets on each `sub/<token>`, and the response header that
 * subscription apps (v2rayNG, Hiddify, ...) read it from. S3 returns metadata as
 * `x-amz-meta-<name>`, and no S3 upload can set an arbitrary response header itself.
 */
export const subscriptionHeaderMetadata = [
  { metadata: "x-amz-meta-subscription-userinfo", header: "subscription-userinfo" },
  { metadata: "x-amz-meta-profile-update-interval", header: "profile-update-interval" },
] as const;

/**
 * A CloudFront Function (runtime cloudfront-js-2.0) for viewer responses of `sub/*`: renames the
 * metadata headers to the ones apps read. CloudFront hands it the origin's response headers,
 * names in lowercase, as `{ value }` objects; it runs only for responses below 400.
 */
export function subscriptionHeadersFunctionCode(): string {
  const pairs = JSON.stringify(subscriptionHeaderMetadata.map(({ metadata, header }) => [metadata, header]));
  return [
    "function handler(event) {",
    "  var response = event.response;",
    "  var headers = response.headers;",
    `  var pairs = ${pairs};`,
    "  for (var i = 0; i < pairs.length; i++) {",
    "    var found = headers[pairs[i][0]];",
    "    if (found) {",
    "      headers[pairs[i][1]] = { value: found.value };",
    "      delete headers[pairs[i][0]];",
    "    }",
    "  }",
    "  return response;",
    "}",
    "",
  ].join("\n");
}
