import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { baseFleet, repoRoot } from "./support/fixtures";
import type { RecordedResource } from "./support/pulumi-mocks";
import { deployShareStackUnderMocks, shareStackRefusal } from "./support/share-stack-deploy";
import { subscriptionHeadersFunctionCode } from "../../src/share-stack/aws-documents";

const one = (recorded: RecordedResource[], type: string): RecordedResource => {
  const found = recorded.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const types = (recorded: RecordedResource[]) => recorded.map((r) => r.type).sort();
const outputContract = ["baseUrl", "bucket", "endpoint", "provider", "region"];

describe("the AWS share stack under Pulumi's mocks", () => {
  it("declares a private bucket, CloudFront with origin access control, a read-only policy for it, and the share output", async () => {
    const { recorded, outputs, share } = await deployShareStackUnderMocks("share-aws", { "lifeline:share": { provider: "aws", region: "eu-central-1" } });
    expect(types(recorded)).toEqual([
      "aws:cloudfront/cachePolicy:CachePolicy",
      "aws:cloudfront/cachePolicy:CachePolicy",
      "aws:cloudfront/distribution:Distribution",
      "aws:cloudfront/function:Function",
      "aws:cloudfront/originAccessControl:OriginAccessControl",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "random:index/randomBytes:RandomBytes",
    ]);

    const bucket = one(recorded, "aws:s3/bucket:Bucket");
    expect(bucket.inputs.bucket).toMatch(/^files-[0-9a-f]{12}$/);
    expect(bucket.inputs).toMatchObject({ region: "eu-central-1", forceDestroy: true });
    expect(bucket.inputs.acl).toBeUndefined();
    expect(bucket.inputs.policy).toBeUndefined();
    expect(one(recorded, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(one(recorded, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });

    const oac = one(recorded, "aws:cloudfront/originAccessControl:OriginAccessControl");
    expect(oac.inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });

    const cdn = one(recorded, "aws:cloudfront/distribution:Distribution");
    expect(cdn.inputs.origins).toEqual([{ originId: "bucket", domainName: `${bucket.inputs.bucket}.s3.eu-central-1.amazonaws.com`, originAccessControlId: oac.id }]);
    expect(cdn.inputs.defaultRootObject).toBeUndefined();
    const behaviours = [cdn.inputs.defaultCacheBehavior, ...cdn.inputs.orderedCacheBehaviors];
    for (const behaviour of behaviours) {
      expect(behaviour.viewerProtocolPolicy).toBe("https-only");
      expect(behaviour.allowedMethods).toEqual(["GET", "HEAD"]);
    }

    // The one statement: the distribution reads objects; nothing lists, nobody else reads.
    const policy = JSON.parse(one(recorded, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
    const distributionArn = `arn:aws:cloudfront::123456789012:distribution/`;
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${bucket.inputs.bucket}/*`,
    });
    expect(policy.Statement[0].Condition.StringEquals["AWS:SourceArn"]).toContain(distributionArn);

    const everything = JSON.stringify(recorded.map((r) => r.inputs));
    expect(everything).not.toMatch(/ListBucket|s3:\*|"Principal":"\*"|public-read/);

    expect(Object.keys(outputs)).toEqual(["share"]);
    await expect(pulumi.isSecret(outputs["share"] as pulumi.Output<unknown>)).resolves.toBe(false);
    expect(Object.keys(share).sort()).toEqual(outputContract);
    expect(share).toEqual({
      provider: "aws",
      bucket: bucket.inputs.bucket,
      region: "eu-central-1",
      endpoint: "https://s3.eu-central-1.amazonaws.com",
      baseUrl: expect.stringMatching(/^https:\/\/d[0-9a-f]{13}\.cloudfront\.net\/$/),
    });
  });

  it("caches sub/* for 60 s (at most 300 s) and renames its metadata headers on the way out", async () => {
    const { recorded } = await deployShareStackUnderMocks("share-aws", { "lifeline:share": { provider: "aws", region: "eu-north-1", name: "files-7f3a9c" } });
    expect(one(recorded, "aws:s3/bucket:Bucket").inputs.bucket).toBe("files-7f3a9c");
    const cdn = one(recorded, "aws:cloudfront/distribution:Distribution");
    const [subscriptions, ...others] = cdn.inputs.orderedCacheBehaviors;
    expect(others).toEqual([]);
    expect(subscriptions.pathPattern).toBe("sub/*");
    const policies = recorded.filter((r) => r.type === "aws:cloudfront/cachePolicy:CachePolicy");
    const policyOf = (id: string) => policies.find((p) => p.id === id)!.inputs;
    expect(policyOf(subscriptions.cachePolicyId)).toMatchObject({ minTtl: 0, defaultTtl: 60, maxTtl: 300 });
    expect(policyOf(cdn.inputs.defaultCacheBehavior.cachePolicyId)).toMatchObject({ defaultTtl: 300, maxTtl: 3600 });
    for (const policy of policies.map((p) => p.inputs)) {
      expect(policy.parametersInCacheKeyAndForwardedToOrigin).toMatchObject({ cookiesConfig: { cookieBehavior: "none" }, queryStringsConfig: { queryStringBehavior: "none" } });
    }
    const fn = one(recorded, "aws:cloudfront/function:Function");
    expect(fn.inputs).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true });
    expect(subscriptions.functionAssociations).toEqual([{ eventType: "viewer-response", functionArn: `arn:aws:cloudfront::123456789012:function/${fn.inputs.name}` }]);
    expect(cdn.inputs.defaultCacheBehavior.functionAssociations).toBeUndefined();
  });
});

describe("the example share stack", () => {
  it("deploys as it is in stacks/, with no fleet beside it", async () => {
    const { config } = parse(readFileSync(join(repoRoot, "stacks", "Pulumi.example-share.yaml"), "utf8")) as { config: Record<string, unknown> };
    expect(config["lifeline:fleet"]).toBeUndefined();
    const { recorded, share } = await deployShareStackUnderMocks("example-share", config);
    expect(recorded.filter((r) => r.type === "aws:cloudfront/distribution:Distribution")).toHaveLength(1);
    expect(share).toMatchObject({ provider: "aws", region: "eu-central-1", endpoint: "https://s3.eu-central-1.amazonaws.com" });
  });
});

describe("the subscription-headers CloudFront Function", () => {
  // Runs the code as CloudFront does: a global `handler` given the event, header names lowercase.
  const handle = (headers: Record<string, { value: string }>) =>
    runInNewContext(`${subscriptionHeadersFunctionCode()}\nhandler(event);`, { event: { version: "1.0", response: { statusCode: 200, headers } } }) as { headers: Record<string, { value: string }> };

  it("serves the upload's metadata as the headers subscription apps read", () => {
    const out = handle({
      "content-type": { value: "text/plain; charset=utf-8" },
      "x-amz-meta-subscription-userinfo": { value: "upload=0; download=0; total=0; expire=1801353600" },
      "x-amz-meta-profile-update-interval": { value: "6" },
    });
    expect(out.headers).toEqual({
      "content-type": { value: "text/plain; charset=utf-8" },
      "subscription-userinfo": { value: "upload=0; download=0; total=0; expire=1801353600" },
      "profile-update-interval": { value: "6" },
    });
  });

  it("leaves a response without that metadata as it is", () => {
    const headers = { "content-type": { value: "application/json" }, etag: { value: '"abc"' } };
    expect(handle(structuredClone(headers)).headers).toEqual(headers);
  });
});

describe("the DigitalOcean share stack under Pulumi's mocks", () => {
  it("declares a private Spaces bucket and its CDN (60 s), and says uploads are public-read", async () => {
    const { recorded, share } = await deployShareStackUnderMocks("share-do", { "lifeline:share": { provider: "digitalocean", region: "fra1" } });
    expect(types(recorded)).toEqual(["digitalocean:index/cdn:Cdn", "digitalocean:index/spacesBucket:SpacesBucket", "random:index/randomBytes:RandomBytes"]);
    const bucket = one(recorded, "digitalocean:index/spacesBucket:SpacesBucket");
    expect(bucket.inputs.name).toMatch(/^files-[0-9a-f]{12}$/);
    // acl private: the file listing stays closed; only objects uploaded public-read are served.
    expect(bucket.inputs).toMatchObject({ region: "fra1", acl: "private", forceDestroy: true });
    const cdn = one(recorded, "digitalocean:index/cdn:Cdn");
    expect(cdn.inputs).toEqual({ origin: `${bucket.inputs.name}.fra1.digitaloceanspaces.com`, ttl: 60 });
    expect(Object.keys(share).sort()).toEqual([...outputContract, "uploadAcl"].sort());
    expect(share).toEqual({
      provider: "digitalocean",
      bucket: bucket.inputs.name,
      region: "fra1",
      endpoint: "https://fra1.digitaloceanspaces.com",
      baseUrl: `https://${bucket.inputs.name}.fra1.cdn.digitaloceanspaces.com/`,
      uploadAcl: "public-read",
    });
  });
});

describe("a bad share block", () => {
  const refusal = (share: unknown, extra: Record<string, unknown> = {}) => shareStackRefusal("bad-share", { "lifeline:share": share, ...extra });

  it("names each wrong field and creates nothing", async () => {
    const message = await refusal({ provider: "gcp", region: "europe-west1", bukcet: "x" });
    expect(message).toContain("stacks/Pulumi.bad-share.yaml: 2 problems in the share config, nothing was created:");
    expect(message).toContain("lifeline:share.provider: must be one of: aws, digitalocean");
    expect(message).toContain('lifeline:share: unknown key "bukcet" (a share stack takes provider, region and name)');
  });

  it("refuses a region without the provider's storage, with the regions that have it", async () => {
    const message = await refusal({ provider: "digitalocean", region: "nyc1" });
    expect(message).toContain('lifeline:share.region: "nyc1" is not a DigitalOcean region with Spaces; use one of: nyc3, sfo2');
    expect(message).toContain("e.g. region: eu-central-1   (digitalocean: fra1)");
  });

  it("refuses a bucket name that says what it serves, or that S3 would not take", async () => {
    expect(await refusal({ provider: "aws", region: "eu-central-1", name: "lifeline-subs" })).toContain('lifeline:share.name: must not say what it serves (no "lifeline", "proxy", "vpn" or "relay")');
    expect(await refusal({ provider: "aws", region: "eu-central-1", name: "Files_1" })).toContain("lifeline:share.name: must be 3-63 lowercase letters, digits and hyphens");
  });

  it("refuses a share block that is not a block, and one beside a fleet", async () => {
    expect(await refusal("aws")).toContain("lifeline:share: must be a block with provider and region");
    const message = await refusal({ provider: "aws", region: "eu-central-1" }, { "lifeline:fleet": baseFleet() });
    expect(message).toContain("a share stack declares only lifeline:share, and this file has lifeline:fleet too");
  });
});
