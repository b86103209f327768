import type { Arch } from "./types";

/** The Debian releases a stack may run (`image`); 12 stays the default so existing stacks keep theirs. */
export const debianImages = ["debian-12", "debian-13"] as const;
export type DebianImage = (typeof debianImages)[number];

/** DigitalOcean's slug of each release: the slug follows DigitalOcean's current build of it. */
export const digitalOceanImageSlugs: Readonly<Record<DebianImage, string>> = {
  "debian-12": "debian-12-x64",
  "debian-13": "debian-13-x64",
};

/** The AWS account the Debian cloud team publishes the official AMIs from (wiki.debian.org/Cloud/AmazonEC2Image). */
export const debianAwsOwner = "136693071363";

/** The architecture names EC2 uses. */
export const ec2Architectures: Readonly<Record<Arch, string>> = { amd64: "x86_64", arm64: "arm64" };

/** The key of a pinned AMI under `images.<release>`: `eu-central-1/arm64`. */
export function imagePinKey(region: string, arch: Arch): string {
  return `${region}/${arch}`;
}
