import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3Server } from "./support/s3-server";

// The S3 server the publish tests upload to must behave as AWS and Spaces do where it matters:
// a wrong signature is refused, strangers read objects but never the listing.
let server: S3Server;
beforeAll(async () => {
  server = await startS3Server("fra1");
}, 120_000);
afterAll(() => server?.stop());

const client = (secretAccessKey = server.credentials.secretAccessKey, region = server.region) =>
  new S3Client({ endpoint: server.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey } });

describe("the test S3 server (versitygw on loopback)", () => {
  it("checks SigV4 signatures, serves objects to strangers under a GetObject policy, and refuses them the listing", async () => {
    await client().send(new CreateBucketCommand({ Bucket: "probe" }));
    await client().send(
      new PutBucketPolicyCommand({
        Bucket: "probe",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::probe/*"] }] }),
      }),
    );
    await client().send(new PutObjectCommand({ Bucket: "probe", Key: "a", Body: "hello", ContentType: "text/plain", Metadata: { k: "v" } }));
    const wrongSecret = await client("not-the-secret").send(new PutObjectCommand({ Bucket: "probe", Key: "b", Body: "x" })).catch((e: Error) => e.name);
    expect(wrongSecret).toBe("SignatureDoesNotMatch");
    const wrongRegion = await client(undefined, "us-east-1").send(new PutObjectCommand({ Bucket: "probe", Key: "b", Body: "x" })).catch((e: Error) => e.name);
    expect(wrongRegion).toBe("AuthorizationHeaderMalformed");
    const get = await fetch(`${server.endpoint}/probe/a`);
    expect([get.status, await get.text(), get.headers.get("x-amz-meta-k")]).toEqual([200, "hello", "v"]);
    expect((await fetch(`${server.endpoint}/probe/`)).status).toBe(403);
    expect((await fetch(`${server.endpoint}/probe?list-type=2`)).status).toBe(403);
    expect((await fetch(`${server.endpoint}/probe/b`, { method: "PUT", body: "x" })).status).toBe(403);
  });
});
