import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";

// Run inside the outside namespace (where the S3 server is): makes the bucket as a share stack
// leaves it (strangers may GET objects, never list) with the root keys from the environment.
// Usage: share-bucket.ts <endpoint> <region> <bucket>; prints READY.
const [endpoint, region, bucket] = process.argv.slice(2) as [string, string, string];
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

async function main(): Promise<void> {
  const client = new S3Client({ endpoint, region, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket}/*`] }] };
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  client.destroy();
  process.stdout.write("READY\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
