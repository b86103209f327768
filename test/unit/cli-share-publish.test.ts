import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSip002Link, sip002Link } from "../../src/links/shadowsocks";
import type { ShadowsocksServer } from "../../src/links/shadowsocks";
import { subscriptionToken } from "../../src/share/subscriptions";
import { repoRoot } from "./support/fixtures";
import { startS3Server, type S3Server } from "./support/s3-server";
import { exampleOutputFiles } from "./support/share-fixtures";

// `lifeline share --publish` for real: the CLI uploads through the AWS SDK to two real S3 servers
// (versitygw on loopback): a "Spaces" share stack and an "AWS" mirror. Strangers then read the
// objects over plain HTTP as the apps do, and are refused the listing.

const keyHex = "5a".repeat(32);
const key = Buffer.from(keyHex, "hex");
let work: string;
let fleetFiles: string[];
let fleetJson: Record<string, string>;
let spaces: S3Server;
let mirror: S3Server;
const bases = { spaces: "https://subs-a.example.net/", mirror: "https://d1x2y3.cdn.example.org/m/" };

/** A bucket as the share stack leaves it: strangers may GET objects, never list. */
async function shareBucket(server: S3Server, bucket: string): Promise<void> {
  const client = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: server.credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket}/*`] }] };
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  client.destroy();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "share-publish-"));
  ({ files: fleetFiles, json: fleetJson } = await exampleOutputFiles());
  [spaces, mirror] = await Promise.all([startS3Server("fra1"), startS3Server("eu-central-1")]);
  await shareBucket(spaces, "subs-fra1");
  await shareBucket(mirror, "subs-mirror");
  writeFileSync(join(work, "spaces.json"), JSON.stringify({ share: { provider: "digitalocean", bucket: "subs-fra1", region: "fra1", endpoint: spaces.endpoint, baseUrl: bases.spaces, uploadAcl: "public-read" } }));
  writeFileSync(join(work, "mirror.json"), JSON.stringify({ share: { provider: "aws", bucket: "subs-mirror", region: "eu-central-1", endpoint: mirror.endpoint, baseUrl: bases.mirror } }));
  writeFileSync(join(work, "key"), `${keyHex}\n`, { mode: 0o600 });
}, 180_000);
afterAll(() => {
  spaces?.stop();
  mirror?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (fleetFiles?.[0]) rmSync(join(fleetFiles[0], ".."), { recursive: true, force: true });
});

/** Keys from the environment only, as the organizer's shell would hold them; no AWS profile or instance role to fall back on. */
function keysEnv(): Record<string, string> {
  return {
    SPACES_ACCESS_KEY_ID: spaces.credentials.accessKeyId,
    SPACES_SECRET_ACCESS_KEY: spaces.credentials.secretAccessKey,
    AWS_ACCESS_KEY_ID: mirror.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: mirror.credentials.secretAccessKey,
  };
}

function share(args: string[], env: Record<string, string> = keysEnv()) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|SPACES_|LIFELINE_SHARE_KEY_FILE)/.test(k)));
  const result = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), "share", ...args], {
    encoding: "utf8",
    cwd: repoRoot,
    env: { ...inherited, HOME: join(work, "home"), AWS_CONFIG_FILE: join(work, "none"), AWS_SHARED_CREDENTIALS_FILE: join(work, "none"), AWS_EC2_METADATA_DISABLED: "true", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const publishArgs = (outputs: string[], out: string, ...more: string[]) =>
  ["--outputs", ...outputs, "--out", out, "--key", join(work, "key"), "--lang", "en", "--reserve", "0", "--publish", join(work, "spaces.json"), join(work, "mirror.json"), ...more];
/** The example AWS stack alone: Shadowsocks on every node (the DigitalOcean example has no vless or Shadowsocks). */
const awsFleet = () => fleetFiles.filter((f) => f.endsWith("example-aws.json"));
const decode = (text: string) => Buffer.from(text, "base64").toString("utf8").split("\n");
const objectUrl = (server: S3Server, bucket: string, key: string) => `${server.endpoint}/${bucket}/${key}`;

describe("lifeline share --publish", () => {
  it("uploads each batch's page and subscription to the share stack and its mirror: strangers read them at stable addresses, never the listing; a rotated node's new links replace the old at the same URL", async () => {
    const out = join(work, "out");
    const first = share(publishArgs(awsFleet(), out));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("published 6 files to subs-fra1 (digitalocean, read at subs-a.example.net)");
    expect(first.stdout).toContain("published 6 files to subs-mirror (aws, read at d1x2y3.cdn.example.org)");
    const token = subscriptionToken(key, 1);
    // No secret key or link in what the organizer's terminal shows.
    expect(first.stdout).not.toContain(spaces.credentials.secretAccessKey);
    expect(first.stdout).not.toMatch(/vless:\/\/|ss:\/\//);

    // The subscription as the apps fetch it: no credentials, base64 of the batch's links.
    const sub = await fetch(objectUrl(spaces, "subs-fra1", `sub/${token}`));
    expect(sub.status).toBe(200);
    expect(sub.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(sub.headers.get("cache-control")).toBe("public, max-age=300");
    const links = decode(await sub.text());
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => /^(vless|ss):\/\//.test(l))).toBe(true);
    expect(links).toEqual(decode(readFileSync(join(out, "sub", token), "utf8")));
    const headers = JSON.parse(readFileSync(join(out, "sub", `${token}.headers.json`), "utf8"));
    expect(sub.headers.get("x-amz-meta-subscription-userinfo")).toBe(headers["subscription-userinfo"]);
    expect(sub.headers.get("x-amz-meta-profile-update-interval")).toBe("6");
    // The same bytes on the mirror; SIP008 for Outline beside it.
    const mirrored = await fetch(objectUrl(mirror, "subs-mirror", `sub/${token}`));
    expect(decode(await mirrored.text())).toEqual(links);
    const sip = await fetch(objectUrl(spaces, "subs-fra1", `sub/${token}.json`));
    expect([sip.status, sip.headers.get("content-type")]).toEqual([200, "application/json"]);
    expect(JSON.parse(await sip.text()).version).toBe(1);

    // The page under its token, carrying the subscription's address and the mirror's as fallback.
    const page = await fetch(objectUrl(spaces, "subs-fra1", `page/${token}.html`));
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const html = await page.text();
    expect(html).toContain(`href="${bases.spaces}sub/${token}"`);
    expect(html).toContain(`href="${bases.mirror}sub/${token}"`);
    expect(html).toContain("If this link does not open, paste one of these into the app:");
    expect(readFileSync(join(out, "telegram-01.txt"), "utf8")).toContain(`${bases.mirror}sub/${token}`);

    // Nothing else: no listing, no guessable batch names, no organizer files, no header files.
    for (const [server, bucket] of [[spaces, "subs-fra1"], [mirror, "subs-mirror"]] as const) {
      expect((await fetch(`${server.endpoint}/${bucket}/`)).status).toBe(403);
      expect((await fetch(`${server.endpoint}/${bucket}?list-type=2`)).status).toBe(403);
      for (const hidden of ["batch-01.html", "all.html", "outline.json", "telegram-01.txt", "published.txt", `sub/${token}.headers.json`, "key"]) {
        expect((await fetch(objectUrl(server, bucket, hidden))).status, hidden).not.toBe(200);
      }
    }
    // published.txt: the addresses to hand out, owner-only.
    const published = readFileSync(join(out, "published.txt"), "utf8");
    expect(published).toContain(`page ${bases.spaces}page/${token}.html`);
    expect(published).toContain(`subscription ${bases.mirror}sub/${token}`);
    expect(statSync(join(out, "published.txt")).mode & 0o777).toBe(0o600);

    // Rotation: one node of batch 1 comes back with a new address and a new Shadowsocks password.
    const oldLink = links.find((l) => l.startsWith("ss://"))!;
    const old = parseSip002Link(oldLink) as ShadowsocksServer;
    const newLink = sip002Link({ ...old, server: "203.0.113.250", password: "rotated-secret-4f1c9a" });
    const rotatedFile = join(work, "example-aws-rotated.json");
    const rotated = fleetJson["example-aws"]!.split(oldLink).join(newLink).split(old.server).join("203.0.113.250").split(old.password).join("rotated-secret-4f1c9a");
    writeFileSync(rotatedFile, rotated);
    const second = share(publishArgs([rotatedFile], join(work, "out-rotated")));
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    for (const [server, bucket] of [[spaces, "subs-fra1"], [mirror, "subs-mirror"]] as const) {
      const again = decode(await (await fetch(objectUrl(server, bucket, `sub/${token}`))).text());
      expect(again).not.toContain(oldLink);
      expect(again.join("\n")).not.toContain(old.server);
    }
    // The rotated node is on some batch's subscription, at one of the same addresses as before.
    const all = await Promise.all([1, 2].map(async (n) => (await (await fetch(objectUrl(spaces, "subs-fra1", `sub/${subscriptionToken(key, n)}`))).text())));
    expect(all.flatMap(decode)).toContain(newLink);
    expect(second.stdout).not.toContain("still serves");

    // Fewer batches than the bucket holds: the ones left behind are named, with the fix.
    expect(share(publishArgs([rotatedFile], join(work, "out-3"), "--batches", "3")).code).toBe(0);
    const fewer = share(publishArgs([rotatedFile], join(work, "out-2")));
    expect(fewer.code).toBe(0);
    expect(fewer.stdout).toContain(
      "warning: subs-fra1 still serves the subscriptions of batch 3, which this run did not write (2 batches): people who imported them keep the old links and get no rotation. Publish with --batches 3 to keep feeding them",
    );
    expect(fewer.stdout).toContain("warning: subs-mirror still serves the subscriptions of batch 3");
  }, 120_000);

  it("refuses to publish a batch that would drop to zero working nodes, naming it; --publish-empty-batches publishes it and says so", async () => {
    // The whole example fleet: the DigitalOcean nodes carry no vless or Shadowsocks link, so a
    // batch of only those would publish an empty list, and apps would drop every server.
    const otherKey = join(work, "other-key");
    writeFileSync(otherKey, `${"3c".repeat(32)}\n`, { mode: 0o600 });
    const args = (out: string, ...more: string[]) => ["--outputs", ...fleetFiles, "--out", out, "--key", otherKey, "--lang", "en", "--publish", join(work, "spaces.json"), ...more];
    const out = join(work, "empty-refused");
    const refused = share(args(out));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^lifeline: batch 0\d(, batch 0\d)*: its subscription would hold no working node \(no vless or Shadowsocks link left, 1 reserved taken out\); apps that refresh it would drop every server\. Add vless or Shadowsocks nodes \(or rotate the blocked ones\) and publish again, lower --reserve, or give --publish-empty-batches to publish it anyway; nothing was written or uploaded\n$/,
    );
    expect(existsSync(out)).toBe(false);
    const otherTokens = [1, 2, 3].map((n) => subscriptionToken(Buffer.from("3c".repeat(32), "hex"), n));
    for (const t of otherTokens) expect((await fetch(objectUrl(spaces, "subs-fra1", `sub/${t}`))).status).not.toBe(200);
    const empty = /^lifeline: (batch \d+(, batch \d+)*)/.exec(refused.stderr)![1]!;

    const anyway = share(args(join(work, "empty-anyway"), "--publish-empty-batches"));
    expect(anyway.stderr).toBe("");
    expect(anyway.code).toBe(0);
    expect(anyway.stdout).toContain(`warning: --publish-empty-batches: ${empty} published with no working node (1 reserved taken out): its apps drop every server until nodes are added`);
    const emptyToken = otherTokens[Number(/\d+/.exec(empty)![0]) - 1]!;
    const served = await fetch(objectUrl(spaces, "subs-fra1", `sub/${emptyToken}`));
    expect([served.status, await served.text()]).toEqual([200, ""]);

    const alone = share(["--outputs", ...fleetFiles, "--out", join(work, "flag-alone"), "--key", otherKey, "--publish-empty-batches"]);
    expect([alone.code, alone.stderr]).toEqual([2, "lifeline: --publish-empty-batches goes with --publish: give the share stack's outputs file to publish to\n"]);
  });

  it("refuses bad share stack outputs and missing keys before writing anything, naming the file, the field and the fix", () => {
    const out = join(work, "refused");
    writeFileSync(join(work, "garbled.json"), "{ share: ");
    writeFileSync(join(work, "wrong.json"), JSON.stringify({ share: { provider: "gcp", bucket: "subs-fra1", region: "fra1", endpoint: "ftp://x", baseUrl: "http://a.example/" } }));
    const bad = share(["--outputs", ...fleetFiles, "--out", out, "--key", join(work, "key"), "--publish", join(work, "garbled.json"), join(work, "wrong.json"), join(work, "missing.json"), fleetFiles[0]!]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("problems in the share stack outputs (--publish), nothing was written");
    expect(bad.stderr).toContain(`${join(work, "garbled.json")}: is not JSON`);
    expect(bad.stderr).toContain(`${join(work, "wrong.json")}: share.provider: must be "aws" or "digitalocean"`);
    expect(bad.stderr).toContain(`${join(work, "wrong.json")}: share.endpoint: must be the S3 API's https URL`);
    expect(bad.stderr).toContain(`${join(work, "missing.json")}: no such file: write it with \`pulumi stack output --json`);
    expect(bad.stderr).toContain(`${fleetFiles[0]}: has no "share" output: this is a fleet stack's outputs; give the share stack's`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const noKeys = share(publishArgs(fleetFiles, out), { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" });
    expect(noKeys.code).toBe(1);
    expect(noKeys.stderr).toContain("needs a Spaces key: set SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY");
    expect(existsSync(out)).toBe(false);
  });

  it("stops at a refused upload with a message naming the bucket and the fix, no stack trace", () => {
    const refused = share(publishArgs(awsFleet(), join(work, "wrong-secret")), { ...keysEnv(), SPACES_SECRET_ACCESS_KEY: "not-the-secret" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^lifeline: uploading page\/[A-Za-z0-9_-]{22}\.html to subs-fra1 \(digitalocean, .*spaces\.json\): the storage refused the key \(SignatureDoesNotMatch\): check SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).not.toContain(spaces.credentials.accessKeyId);
    const noAws = share(publishArgs(awsFleet(), join(work, "no-aws")), { SPACES_ACCESS_KEY_ID: spaces.credentials.accessKeyId, SPACES_SECRET_ACCESS_KEY: spaces.credentials.secretAccessKey });
    expect(noAws.code).toBe(1);
    expect(noAws.stderr).toContain("to subs-mirror (aws, ");
    expect(noAws.stderr).toContain("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)");
  });
});
