import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { newestDebianAmi } from "../../src/images/describe-images";
import { baseFleet } from "./support/fixtures";
import { inDays, runCli, writeStack } from "./support/plan-cli";

const work = mkdtempSync(join(tmpdir(), "lifeline-images-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One image as `aws ec2 describe-images --output json` lists it (fields trimmed to what matters plus a few). */
function image(id: string, name: string, created: string, architecture = "arm64", owner = "136693071363") {
  return { Architecture: architecture, CreationDate: created, ImageId: id, ImageLocation: `${owner}/${name}`, ImageType: "machine", Public: true, OwnerId: owner, State: "available", Name: name, RootDeviceType: "ebs", VirtualizationType: "hvm" };
}

const arm = {
  Images: [
    image("ami-0aaaaaaaaaaaaaaa1", "debian-12-arm64-20261010-2260", "2026-10-10T10:00:00.000Z"),
    image("ami-0bbbbbbbbbbbbbbb2", "debian-12-arm64-20261120-2301", "2026-11-20T10:00:00.000Z"),
    // Newer, but not a release build of this arch: never chosen.
    image("ami-0ccccccccccccccc3", "debian-12-arm64-daily-20261201-2320", "2026-12-01T10:00:00.000Z"),
    image("ami-0ddddddddddddddd4", "debian-12-arm64-20261202-2321", "2026-12-02T10:00:00.000Z", "x86_64"),
    image("ami-0eeeeeeeeeeeeeee5", "debian-12-arm64-20261203-2322", "2026-12-03T10:00:00.000Z", "arm64", "123456789012"),
  ],
};

describe("the newest Debian AMI in a describe-images answer", () => {
  it("is the newest release build of the release and architecture, from Debian's account", () => {
    expect(newestDebianAmi(arm, "debian-12", "arm64")).toEqual({ imageId: "ami-0bbbbbbbbbbbbbbb2", name: "debian-12-arm64-20261120-2301", creationDate: "2026-11-20T10:00:00.000Z" });
  });

  it("says what is wrong with an answer that holds none", () => {
    expect(newestDebianAmi(arm, "debian-13", "arm64")).toBe("holds no debian-13 arm64 release AMI of Debian's account 136693071363 (5 images in it)");
    expect(newestDebianAmi({ Reservations: [] }, "debian-12", "arm64")).toBe("is not the JSON of aws ec2 describe-images (no Images list)");
  });
});

describe("npm run images -- refresh", () => {
  const stacks = join(work, "stacks");
  mkdirSync(stacks);
  const fleet = {
    ...baseFleet(),
    budgetPerDay: 100,
    expires: inDays(10),
    groups: [
      { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.micro" },
      { provider: "aws", regions: ["eu-north-1"], nodesPerRegion: 1, size: "t3.micro" },
    ],
  };

  it("prints the exact describe-images query for each region and architecture, and changes nothing", () => {
    writeStack(stacks, "queries", fleet);
    const before = readFileSync(join(stacks, "Pulumi.queries.yaml"), "utf8");
    const r = runCli("images", "refresh", "--stack", "queries", "--stacks-dir", stacks);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mkdir -p 'debian-amis-queries'");
    expect(r.stdout).toContain(
      "aws ec2 describe-images --region eu-central-1 --owners 136693071363 --filters 'Name=name,Values=debian-12-arm64-*' 'Name=architecture,Values=arm64' 'Name=state,Values=available' --output json > 'debian-amis-queries/eu-central-1_arm64.json'",
    );
    expect(r.stdout).toContain("--region eu-north-1 --owners 136693071363 --filters 'Name=name,Values=debian-12-amd64-*' 'Name=architecture,Values=x86_64'");
    expect(r.stdout).toContain("# then pin them: npm run images -- refresh --stack queries --from 'debian-amis-queries'");
    expect(readFileSync(join(stacks, "Pulumi.queries.yaml"), "utf8")).toBe(before);
  });

  it("pins the newest AMIs from the answers into the stack file, keeping its comments, and plan shows them", () => {
    writeStack(stacks, "pin", fleet);
    const path = join(stacks, "Pulumi.pin.yaml");
    writeFileSync(path, `# my notes stay\n${readFileSync(path, "utf8")}`);
    const answers = join(work, "answers");
    mkdirSync(answers);
    writeFileSync(join(answers, "eu-central-1_arm64.json"), JSON.stringify(arm));
    writeFileSync(join(answers, "eu-north-1_amd64.json"), JSON.stringify({ Images: [image("ami-0fffffffffffffff6", "debian-12-amd64-20261120-2301", "2026-11-20T10:00:00.000Z", "x86_64")] }));
    const r = runCli("images", "refresh", "--stack", "pin", "--stacks-dir", stacks, "--from", answers);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("debian-12 eu-central-1/arm64: none -> ami-0bbbbbbbbbbbbbbb2 (debian-12-arm64-20261120-2301)");
    expect(r.stdout).toContain("the next pulumi up replaces the AWS nodes of eu-central-1/arm64, eu-north-1/amd64 with the new image");
    const text = readFileSync(path, "utf8");
    expect(text.startsWith("# my notes stay\n")).toBe(true);
    expect(parse(text).config["lifeline:fleet"].images).toEqual({ "debian-12": { "eu-central-1/arm64": "ami-0bbbbbbbbbbbbbbb2", "eu-north-1/amd64": "ami-0fffffffffffffff6" } });

    const again = runCli("images", "refresh", "--stack", "pin", "--stacks-dir", stacks, "--from", answers);
    expect(again.stdout).toContain("debian-12 eu-central-1/arm64: ami-0bbbbbbbbbbbbbbb2 (unchanged)");
    expect(again.stdout).toContain("every pin already current");

    const plan = runCli("plan", "--stack", "pin", "--stacks-dir", stacks);
    expect(plan.stdout).toContain("image: debian-12; AWS AMIs pinned per region and architecture");
    expect(plan.stdout).toContain("  - eu-central-1/arm64: ami-0bbbbbbbbbbbbbbb2");
    expect(plan.stdout).not.toContain("pin them before pulumi up");
  });

  it("refuses a missing or foreign answer plainly, and leaves the stack file as it was", () => {
    writeStack(stacks, "bad", fleet);
    const path = join(stacks, "Pulumi.bad.yaml");
    const before = readFileSync(path, "utf8");
    const answers = join(work, "bad-answers");
    mkdirSync(answers);
    writeFileSync(join(answers, "eu-central-1_arm64.json"), JSON.stringify(arm));
    const missing = runCli("images", "refresh", "--stack", "bad", "--stacks-dir", stacks, "--from", answers);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`lifeline: ${join(answers, "eu-north-1_amd64.json")} does not exist: run the query for eu-north-1/amd64 first`);
    writeFileSync(join(answers, "eu-north-1_amd64.json"), "<html>");
    const notJson = runCli("images", "refresh", "--stack", "bad", "--stacks-dir", stacks, "--from", answers);
    expect(notJson.stderr).toContain("eu-north-1_amd64.json is not JSON");
    writeFileSync(join(answers, "eu-north-1_amd64.json"), JSON.stringify(arm));
    const wrongArch = runCli("images", "refresh", "--stack", "bad", "--stacks-dir", stacks, "--from", answers);
    expect(wrongArch.stderr).toContain("eu-north-1_amd64.json holds no debian-12 amd64 release AMI");
    for (const r of [missing, notJson, wrongArch]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  it("plan says an AWS stack is not pinned yet, and how to pin it", () => {
    writeStack(stacks, "unpinned", fleet);
    const r = runCli("plan", "--stack", "unpinned", "--stacks-dir", stacks);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  - eu-north-1/amd64: not pinned");
    expect(r.stdout).toContain("  pin them before pulumi up: npm run images -- refresh --stack unpinned");
  });

  it("refuses a pin that is not an AMI id or not a region/arch", () => {
    writeStack(stacks, "badpin", { ...fleet, images: { "debian-12": { "eu-central-1/arm64": "ami-nothex" }, "debian-11": {} } });
    const r = runCli("plan", "--stack", "badpin", "--stacks-dir", stacks);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("lifeline:fleet.images.debian-12.eu-central-1/arm64: must be an AMI id such as ami-0123456789abcdef0");
    expect(r.stderr).toContain('lifeline:fleet.images: unknown key "debian-11"');
    writeStack(stacks, "badkey", { ...fleet, images: { "debian-12": { "mars-1/arm64": "ami-0123456789abcdef0" } } });
    const key = runCli("plan", "--stack", "badkey", "--stacks-dir", stacks);
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('lifeline:fleet.images.debian-12.mars-1/arm64: "mars-1/arm64" is not <AWS region>/<amd64|arm64>, e.g. eu-central-1/arm64');
  });
});
