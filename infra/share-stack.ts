import * as aws from "@pulumi/aws";
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cdnReadPolicy, subscriptionHeadersFunctionCode } from "../src/share-stack/aws-documents";
import { pageCache, spacesCdnTtl, subscriptionCache } from "../src/share-stack/cache";
import { shareStackOutput, type ShareStackOutput } from "../src/share-stack/outputs";
import { bucketSuffixBytes, defaultBucketPrefix, type ShareStackPlan } from "../src/share-stack/plan";

/**
 * The share stack: a private bucket and the CDN in front of it, where `share --publish` puts
 * the pages and subscriptions. Returns the `share` output the publisher reads.
 */
export function deployShareStack(plan: ShareStackPlan, stack: string): pulumi.Output<ShareStackOutput> {
  // Account-unique names (bucket, OAC, function, cache policies) share one random part.
  const suffix = new random.RandomBytes("share-suffix", { length: bucketSuffixBytes }).hex;
  const bucketName = plan.fixedBucketName !== undefined ? pulumi.output(plan.fixedBucketName) : pulumi.interpolate`${defaultBucketPrefix}-${suffix}`;
  return plan.provider === "aws" ? awsShareStorage(plan, stack, bucketName, suffix) : spacesShareStorage(plan, bucketName);
}

function awsShareStorage(plan: ShareStackPlan, stack: string, bucketName: pulumi.Output<string>, suffix: pulumi.Output<string>): pulumi.Output<ShareStackOutput> {
  const region = plan.region;
  const tags = { Project: "lifeline", Stack: stack, Role: "share" };
  // forceDestroy: `pulumi destroy` empties the bucket first, so nothing billed stays behind.
  const bucket = new aws.s3.Bucket("share-bucket", { bucket: bucketName, region, forceDestroy: true, tags });
  const publicAccess = new aws.s3.BucketPublicAccessBlock("share-public-access", {
    bucket: bucket.id,
    region,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  // Object ACLs off: only the bucket policy decides who reads, so no upload can make a file public by itself.
  new aws.s3.BucketOwnershipControls("share-ownership", { bucket: bucket.id, region, rule: { objectOwnership: "BucketOwnerEnforced" } });

  const originAccess = new aws.cloudfront.OriginAccessControl("share-origin-access", {
    name: pulumi.interpolate`files-${suffix}`,
    originAccessControlOriginType: "s3",
    signingBehavior: "always",
    signingProtocol: "sigv4",
  });
  const cachePolicy = (name: string, ttl: { minTtl: number; defaultTtl: number; maxTtl: number }) =>
    new aws.cloudfront.CachePolicy(`share-cache-${name}`, {
      name: pulumi.interpolate`${name}-${suffix}`,
      ...ttl,
      // Nothing from the request but the path picks the copy: no cookie, header or query string.
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    });
  const { pathPattern, ...subscriptionTtl } = subscriptionCache;
  const subscriptionPolicy = cachePolicy("sub", subscriptionTtl);
  const pagePolicy = cachePolicy("pages", pageCache);
  const subscriptionHeaders = new aws.cloudfront.Function("share-subscription-headers", {
    name: pulumi.interpolate`sub-headers-${suffix}`,
    runtime: "cloudfront-js-2.0",
    code: subscriptionHeadersFunctionCode(),
    publish: true,
  });

  const originId = "bucket";
  // https-only, not redirect: a plain-http request has already shown its path (a batch's
  // address) to anyone on the wire, so it must not work and teach people to use it.
  const behaviour = { targetOriginId: originId, viewerProtocolPolicy: "https-only", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], compress: true };
  const distribution = new aws.cloudfront.Distribution("share-cdn", {
    enabled: true,
    isIpv6Enabled: true,
    httpVersion: "http2and3",
    // Every edge location: people in a blackout are far from North America and Europe.
    priceClass: "PriceClass_All",
    origins: [{ originId, domainName: bucket.bucketRegionalDomainName, originAccessControlId: originAccess.id }],
    defaultCacheBehavior: { ...behaviour, cachePolicyId: pagePolicy.id },
    orderedCacheBehaviors: [
      { ...behaviour, pathPattern, cachePolicyId: subscriptionPolicy.id, functionAssociations: [{ eventType: "viewer-response", functionArn: subscriptionHeaders.arn }] },
    ],
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
    tags,
  });
  new aws.s3.BucketPolicy(
    "share-cdn-reads",
    { bucket: bucket.id, region, policy: pulumi.all([bucket.arn, distribution.arn]).apply(([bucketArn, distributionArn]) => JSON.stringify(cdnReadPolicy(bucketArn, distributionArn))) },
    { dependsOn: [publicAccess] },
  );
  return pulumi.all([bucket.bucket, distribution.domainName]).apply(([name, host]) => shareStackOutput("aws", name, region, host));
}

function spacesShareStorage(plan: ShareStackPlan, bucketName: pulumi.Output<string>): pulumi.Output<ShareStackOutput> {
  const region = plan.region;
  // Private: no public file listing. Files are served because each upload is public-read;
  // a bucket policy would do too, but limited-access Spaces keys cannot be used with one.
  const bucket = new digitalocean.SpacesBucket("share-bucket", { name: bucketName, region, acl: "private", forceDestroy: true });
  const cdn = new digitalocean.Cdn("share-cdn", { origin: bucket.bucketDomainName, ttl: spacesCdnTtl });
  return pulumi.all([bucket.name, cdn.endpoint]).apply(([name, host]) => shareStackOutput("digitalocean", name, region, host));
}
