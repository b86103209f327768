import { describe, expect, it } from "vitest";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { baseFleet, fakeAmi, raisedQuotas, today, withImagePins } from "./support/fixtures";
import { programRefusal } from "./support/program-refusal";
import { installMocks, settled } from "./support/pulumi-mocks";

const mixed = (extra: Record<string, unknown> = {}) => ({
  ...baseFleet(),
  budgetPerDay: 100,
  quotas: raisedQuotas(),
  groups: [
    { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 },
    { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.micro" },
    { provider: "aws", regions: ["eu-north-1", "ap-south-1"], nodesPerRegion: 1, size: "t3.micro" },
  ],
  ...extra,
});

async function deploy(fleet: Record<string, any>) {
  const recorded = await installMocks("images", fleet);
  deployFleet(loadPlan("images", today), "images");
  await settled(recorded);
  const vm = (type: string) => Object.fromEntries(recorded.filter((r) => r.type === type).map((r) => [r.name, r]));
  return { droplets: vm("digitalocean:index/droplet:Droplet"), instances: vm("aws:ec2/instance:Instance") };
}

async function refusal(fleet: Record<string, any>): Promise<string> {
  const calls: string[] = [];
  const message = await programRefusal(await installMocks("unpinned", fleet, { calls }));
  // Refused before it asks the cloud anything.
  expect(calls).toEqual([]);
  return message;
}

describe("images on purpose", () => {
  it("boots every AWS node from the AMI pinned for its region and architecture, with nothing ignored", async () => {
    const pinned = withImagePins(mixed());
    const { instances, droplets } = await deploy(pinned);
    const pins = pinned.images["debian-12"];
    expect(Object.keys(pins).sort()).toEqual(["ap-south-1/amd64", "eu-central-1/arm64", "eu-north-1/amd64"]);
    expect(instances["aws-eu-central-1-0"]!.inputs.ami).toBe(pins["eu-central-1/arm64"]);
    expect(instances["aws-eu-north-1-0"]!.inputs.ami).toBe(pins["eu-north-1/amd64"]);
    expect(instances["aws-ap-south-1-0"]!.inputs.ami).toBe(pins["ap-south-1/amd64"]);
    for (const instance of Object.values(instances)) expect(instance.options.ignoreChanges).toEqual([]);
    expect(droplets["do-fra1-0"]!.inputs.image).toBe("debian-12-x64");
  });

  it("changes exactly the instances of a refreshed pin, and no other input", async () => {
    const before = withImagePins(mixed());
    const after = structuredClone(before);
    after.images["debian-12"]["eu-north-1/amd64"] = fakeAmi("a newer point release");
    const a = await deploy(before);
    const b = await deploy(after);
    expect(b.instances["aws-eu-north-1-0"]!.inputs.ami).toBe(fakeAmi("a newer point release"));
    for (const name of ["aws-eu-central-1-0", "aws-ap-south-1-0"]) expect(b.instances[name]!.inputs).toEqual(a.instances[name]!.inputs);
    const { ami: _a, ...restBefore } = a.instances["aws-eu-north-1-0"]!.inputs;
    const { ami: _b, ...restAfter } = b.instances["aws-eu-north-1-0"]!.inputs;
    expect(restAfter).toEqual(restBefore);
  });

  it("offers Debian 13: DigitalOcean's debian-13-x64, and AWS's pins for debian-13", async () => {
    const fleet = withImagePins(mixed({ image: "debian-13" }));
    expect(Object.keys(fleet.images)).toEqual(["debian-13"]);
    const { instances, droplets } = await deploy(fleet);
    expect(droplets["do-fra1-0"]!.inputs.image).toBe("debian-13-x64");
    expect(instances["aws-eu-north-1-0"]!.inputs.ami).toBe(fleet.images["debian-13"]["eu-north-1/amd64"]);
  });

  it("refuses an AWS stack without pins before anything is created, naming each and the command", async () => {
    const message = await refusal(mixed());
    expect(message).toBe(
      "stacks/Pulumi.unpinned.yaml: no AMI pinned for debian-12 ap-south-1/amd64, debian-12 eu-central-1/arm64, debian-12 eu-north-1/amd64, nothing was created.\n" +
        "Every AWS node boots the AMI pinned under images.<release>.<region>/<arch>, so that a replacement boots the same one. Pin the current Debian AMIs: npm run images -- refresh --stack unpinned",
    );
  });

  it("refuses a switch to Debian 13 while only Debian 12 is pinned", async () => {
    const message = await refusal({ ...withImagePins(mixed()), image: "debian-13" });
    expect(message).toContain("no AMI pinned for debian-13 ap-south-1/amd64, debian-13 eu-central-1/arm64");
  });
});
