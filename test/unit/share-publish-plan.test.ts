import { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { Fleet, FleetNode } from "../../src/fleet-input/types";
import { sip002Link } from "../../src/links/shadowsocks";
import { s3ClientSettings } from "../../src/share/publish/client-settings";
import { parseShareTarget, type ShareTarget } from "../../src/share/publish/share-target";
import { uploadError } from "../../src/share/publish/s3-upload";
import { uploadFailureMessage } from "../../src/share/publish/upload-failure";
import { pageKey, publishedAddresses, uploadPlan } from "../../src/share/publish/upload-plan";
import { staleBatches } from "../../src/share/publish/stale-batches";
import { shareFiles } from "../../src/share/share-files";
import { subscriptionToken } from "../../src/share/subscriptions";

const aws = { provider: "aws", bucket: "subs-eu", region: "eu-central-1", endpoint: "https://s3.eu-central-1.amazonaws.com", baseUrl: "https://d111111abcdef8.cloudfront.net/" };
const spaces = { provider: "digitalocean", bucket: "subs-fra1", region: "fra1", endpoint: "https://fra1.digitaloceanspaces.com", baseUrl: "https://subs-fra1.fra1.cdn.digitaloceanspaces.com/", uploadAcl: "public-read" };
const target = (share: object, source = "share.json") => parseShareTarget(source, JSON.stringify({ share })) as ShareTarget;
const spacesKeys = { SPACES_ACCESS_KEY_ID: "DO00EXAMPLEKEY", SPACES_SECRET_ACCESS_KEY: "example-secret" };

// The tests' own clients: no notice that SDK releases after this pinned one need Node 22.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

describe("S3 client settings", () => {
  it("AWS: the region's endpoint, virtual-hosted, the SDK's standard credential chain, default checksums", () => {
    expect(s3ClientSettings(target(aws), {})).toEqual({ endpoint: "https://s3.eu-central-1.amazonaws.com", region: "eu-central-1", forcePathStyle: false });
  });

  it("Spaces: https://<region>.digitaloceanspaces.com, signed for the region slug, virtual-hosted, keys from SPACES_*, checksums only when required", () => {
    expect(s3ClientSettings(target(spaces), spacesKeys)).toEqual({
      endpoint: "https://fra1.digitaloceanspaces.com",
      region: "fra1",
      forcePathStyle: false,
      credentials: { accessKeyId: "DO00EXAMPLEKEY", secretAccessKey: "example-secret" },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  });

  it("the real SDK resolves them to the bucket's own host and SigV4 for s3 in that region", async () => {
    for (const [share, host, region] of [[aws, "subs-eu.s3.eu-central-1.amazonaws.com", "eu-central-1"], [spaces, "subs-fra1.fra1.digitaloceanspaces.com", "fra1"]] as const) {
      const settings = s3ClientSettings(target(share), spacesKeys);
      if ("problem" in settings) throw new Error(settings.problem);
      const client = new S3Client({ ...settings, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" } });
      const endpoint = await client.config.endpointProvider({ Bucket: share.bucket, Region: await client.config.region(), Endpoint: settings.endpoint, ForcePathStyle: settings.forcePathStyle, UseFIPS: false, UseDualStack: false, Accelerate: false, UseGlobalEndpoint: false, DisableMultiRegionAccessPoints: false, UseArnRegion: false });
      expect(endpoint.url.host).toBe(host);
      const scheme = endpoint.properties?.["authSchemes"] as { name: string; signingName: string; signingRegion: string }[];
      expect(scheme[0]).toMatchObject({ name: "sigv4", signingName: "s3", signingRegion: region });
      client.destroy();
    }
  });

  it("a local server on 127.0.0.1 is addressed by path (it has no per-bucket host name)", () => {
    const local = s3ClientSettings(target({ ...spaces, endpoint: "http://127.0.0.1:7070" }), spacesKeys);
    expect(local).toMatchObject({ endpoint: "http://127.0.0.1:7070", forcePathStyle: true });
  });

  it("Spaces without keys: names the variables missing and where to make a key", () => {
    expect(s3ClientSettings(target(spaces), { SPACES_ACCESS_KEY_ID: "DO00EXAMPLEKEY" })).toEqual({
      problem: "share.json: the DigitalOcean Spaces bucket subs-fra1 needs a Spaces key: set SPACES_SECRET_ACCESS_KEY (make a key at https://cloud.digitalocean.com/spaces/access_keys)",
    });
  });
});

describe("the share stack's outputs", () => {
  it("reads the contract as pulumi stack output --json prints it", () => {
    const t = target(spaces);
    expect([t.provider, t.bucket, t.region, t.endpoint.href, t.baseUrl.href, t.uploadAcl]).toEqual(["digitalocean", "subs-fra1", "fra1", "https://fra1.digitaloceanspaces.com/", spaces.baseUrl, "public-read"]);
    expect(target({ ...aws, baseUrl: "https://d1.cloudfront.net/x" }).baseUrl.href).toBe("https://d1.cloudfront.net/x/");
  });

  it("names the file and field of each problem", () => {
    const problems = (share: object) => (parseShareTarget("s.json", JSON.stringify({ share })) as { problems: string[] }).problems;
    expect(problems({ ...aws, provider: "gcp" })).toEqual(['s.json: share.provider: must be "aws" or "digitalocean"']);
    expect(problems({ ...aws, bucket: "Bad_Bucket" })[0]).toMatch(/^s\.json: share\.bucket: must be an S3 bucket name/);
    expect(problems({ ...aws, endpoint: "http://s3.example.com" })[0]).toMatch(/^s\.json: share\.endpoint: must be the S3 API's https URL/);
    expect(problems({ ...aws, baseUrl: "http://cdn.example.com/" })).toEqual(["s.json: share.baseUrl must start with https:// (apps refuse or warn on plain http, and the censor reads it)"]);
    expect(problems({ ...aws, uploadAcl: "public-read" })[0]).toMatch(/^s\.json: share\.uploadAcl: is for DigitalOcean Spaces only/);
    expect((parseShareTarget("s.json", "not json") as { problems: string[] }).problems[0]).toMatch(/^s\.json: is not JSON/);
  });
});

function node(address: string, password: string): FleetNode {
  return {
    source: "a.json",
    name: `aws-${address}`,
    provider: "aws",
    region: "eu-central-1",
    address,
    relays: [
      { kind: "shadowsocks", transport: "encrypted", accessKey: sip002Link({ server: address, port: 8388, method: "chacha20-ietf-poly1305", password, name: "eu-0" }) },
      { kind: "mtproto", transport: "encrypted", telegram: `tg://proxy?server=${address}&port=443&secret=ee00`, telegramWeb: `https://t.me/proxy?server=${address}&port=443&secret=ee00` },
    ],
  };
}
const fleet: Fleet = {
  sources: ["a.json"],
  stacks: [{ source: "a.json", expires: "2027-01-31", nodes: [] }],
  nodes: ["198.51.100.1", "198.51.100.2", "198.51.100.3"].map((a, i) => node(a, `pw${i}`)),
  shadowsocksServers: [],
  warnings: [],
};
const key = Buffer.alloc(32, 9);
const primary = target(spaces);
const second = target(aws, "mirror.json");
const result = shareFiles(fleet, { batches: 2, perPage: 2, lang: "en", key, reservedShare: 0, subscriptionBase: primary.baseUrl, mirrorBases: [second.baseUrl] });

describe("the upload plan", () => {
  const plan = uploadPlan(result.files, result.tokens, "public-read");

  it("puts each batch's page under its token, its list with the header values as metadata, and its SIP008; each with its content type and cache time", () => {
    const token = subscriptionToken(key, 1);
    expect(result.tokens).toEqual([subscriptionToken(key, 1), subscriptionToken(key, 2)]);
    const byKey = new Map(plan.map((u) => [u.key, u]));
    expect(byKey.get(`page/${token}.html`)).toMatchObject({ contentType: "text/html; charset=utf-8", cacheControl: "public, max-age=900", acl: "public-read" });
    expect(byKey.get(`page/${token}.html`)!.body).toBe(result.files.find((f) => f.name === "batch-01.html")!.content);
    expect(byKey.get(`sub/${token}`)).toMatchObject({ contentType: "text/plain; charset=utf-8", cacheControl: "public, max-age=300", acl: "public-read" });
    expect(byKey.get(`sub/${token}`)!.metadata).toEqual({ "subscription-userinfo": `upload=0; download=0; total=0; expire=${Date.parse("2027-02-01T00:00:00Z") / 1000}`, "profile-update-interval": "6" });
    expect(byKey.get(`sub/${token}.json`)).toMatchObject({ contentType: "application/json", cacheControl: "public, max-age=300" });
    expect(byKey.get(`sub/${token}.json`)!.metadata).toBeUndefined();
  });

  it("uploads nothing else: no posts, all.html, outline.json, header files, guessable batch names, nor a listing", () => {
    expect(plan.map((u) => u.key).sort()).toEqual(result.tokens.flatMap((t) => [pageKey(t), `sub/${t}`, `sub/${t}.json`]).sort());
    for (const u of plan) expect(u.key).not.toMatch(/batch-|telegram-|all\.html|outline\.json|headers\.json|index/);
    expect(result.files.map((f) => f.name)).toEqual(expect.arrayContaining(["all.html", "outline.json", "telegram-01.txt", `sub/${result.tokens[0]}.headers.json`]));
  });

  it("sets no ACL where the share stack does not ask for one (AWS: CloudFront reads the bucket)", () => {
    for (const u of uploadPlan(result.files, result.tokens)) expect(u.acl).toBeUndefined();
  });

  it("lists the addresses to hand out, first host first, in published.txt", () => {
    const [t1] = result.tokens;
    expect(publishedAddresses([primary, second], result.tokens)).toContain(
      `batch 01\n  page ${spaces.baseUrl}page/${t1}.html\n  subscription ${spaces.baseUrl}sub/${t1}\n  page ${aws.baseUrl}page/${t1}.html\n  subscription ${aws.baseUrl}sub/${t1}\n`,
    );
  });
});

describe("mirrors on pages and posts", () => {
  it("the page and post carry the first host's subscription, then each mirror's as a fallback, in ru, kk and en", () => {
    const token = result.tokens[0]!;
    const page = result.files.find((f) => f.name === "batch-01.html")!.content;
    expect(page).toContain(`href="${spaces.baseUrl}sub/${token}"`);
    expect(page).toContain(`href="hiddify://import/${spaces.baseUrl}sub/${token}"`);
    expect(page.indexOf(`${spaces.baseUrl}sub/${token}`)).toBeLessThan(page.indexOf(`${aws.baseUrl}sub/${token}`));
    expect(page).toContain(`<a href="${aws.baseUrl}sub/${token}"><code dir="ltr">${aws.baseUrl}sub/${token}</code></a>`);
    for (const words of ["Если эта ссылка не открывается", "Егер бұл сілтеме ашылмаса", "If this link does not open"]) expect(page).toContain(words);
    const post = result.files.find((f) => f.name === "telegram-01.txt")!.content;
    expect(post).toContain(`${spaces.baseUrl}sub/${token}\nIf this link does not open, paste one of these into the app:\n${aws.baseUrl}sub/${token}\n`);
  });

  it("without mirrors, no fallback line", () => {
    const alone = shareFiles(fleet, { batches: 2, perPage: 2, lang: "en", key, reservedShare: 0, subscriptionBase: primary.baseUrl });
    expect(alone.files.find((f) => f.name === "batch-01.html")!.content).not.toContain("If this link does not open");
  });
});

describe("stale subscriptions", () => {
  it("are the bucket's sub/<token> of batches past the ones written, found from the key; nothing else counts", () => {
    const keys = [1, 2, 3, 5].map((n) => `sub/${subscriptionToken(key, n)}`);
    const extra = [`sub/${subscriptionToken(key, 4)}.json`, `sub/${subscriptionToken(Buffer.alloc(32, 1), 7)}`, `page/${subscriptionToken(key, 6)}.html`];
    expect(staleBatches([...keys, ...extra], key, 2)).toEqual([3, 5]);
    expect(staleBatches(keys, key, 5)).toEqual([]);
  });
});

describe("a refused upload", () => {
  it("says where, why and what to do", () => {
    expect(uploadFailureMessage(primary, "sub/x", { name: "NoSuchBucket", httpStatus: 404 })).toBe(
      "uploading sub/x to subs-fra1 (digitalocean, share.json): no such bucket at fra1.digitaloceanspaces.com: run `pulumi up` on the share stack, then write its outputs again",
    );
    expect(uploadFailureMessage(second, "sub/x", { name: "AccessDenied", httpStatus: 403 })).toMatch(/access denied: the key in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(or AWS_PROFILE\) may not write to this bucket/);
    expect(uploadFailureMessage(second, "sub/x", { name: "Error", code: "ECONNREFUSED" })).toMatch(/could not reach s3\.eu-central-1\.amazonaws\.com \(ECONNREFUSED\)/);
  });
});

describe("an error from the storage server", () => {
  it("reaches the terminal as one short line without control characters, whatever the server named it", () => {
    // The endpoint comes from an outputs file: its server chooses the error code it sends back.
    const hostile = { Code: "Denied\u001b]0;owned\u0007\u001b[2J\nnpx pulumi destroy --yes", code: `\u009b31m${"E".repeat(200)}`, $metadata: { httpStatusCode: 418 } };
    const reduced = uploadError(hostile);
    expect(reduced.name).toBe("Denied npx pulumi destroy --yes");
    expect(reduced.code).toBe("E".repeat(80));
    expect(reduced.httpStatus).toBe(418);
    expect(uploadFailureMessage(second, "sub/x", reduced)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(uploadError({ name: 42, $metadata: { httpStatusCode: "x" } })).toEqual({ name: "Error" });
  });
});
