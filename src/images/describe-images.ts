import type { Arch } from "../catalog";
import { debianAwsOwner, ec2Architectures, type DebianImage } from "../catalog/images";

/** The file `describeImagesCommand` writes for one region and architecture, inside the answers folder. */
export function answerFile(region: string, arch: Arch): string {
  return `${region}_${arch}.json`;
}

/**
 * The AWS CLI query for the official Debian AMIs of one release, region and architecture:
 * owned by Debian's account, named `debian-<n>-<arch>-<date>-<build>`. Run by the organizer
 * (it needs AWS credentials); lifeline reads the JSON it writes.
 */
export function describeImagesCommand(image: DebianImage, region: string, arch: Arch, folder: string): string {
  return [
    "aws ec2 describe-images",
    `--region ${region}`,
    `--owners ${debianAwsOwner}`,
    `--filters 'Name=name,Values=${image}-${arch}-*' 'Name=architecture,Values=${ec2Architectures[arch]}' 'Name=state,Values=available'`,
    "--output json",
    `> '${folder.replace(/'/g, "'\\''")}/${answerFile(region, arch)}'`,
  ].join(" ");
}

export interface DebianAmi {
  imageId: string;
  name: string;
  creationDate: string;
}

/**
 * The newest release AMI in a `describe-images` answer: its name must be exactly
 * `<image>-<arch>-YYYYMMDD-<build>` (not a daily or backports build), its owner Debian's,
 * and its architecture the one asked. An error names what is wrong with the answer.
 */
export function newestDebianAmi(answer: unknown, image: DebianImage, arch: Arch): DebianAmi | string {
  const images = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>)["Images"] : undefined;
  if (!Array.isArray(images)) return "is not the JSON of aws ec2 describe-images (no Images list)";
  const name = new RegExp(`^${image}-${arch}-\\d{8}-\\d+$`);
  const candidates = images
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null)
    .filter((i) => typeof i["Name"] === "string" && name.test(i["Name"]))
    .filter((i) => i["Architecture"] === ec2Architectures[arch] && (i["OwnerId"] === undefined || i["OwnerId"] === debianAwsOwner))
    .filter((i) => typeof i["ImageId"] === "string" && /^ami-[0-9a-f]{8,17}$/.test(i["ImageId"]) && typeof i["CreationDate"] === "string")
    .map((i) => ({ imageId: i["ImageId"] as string, name: i["Name"] as string, creationDate: i["CreationDate"] as string }))
    .sort((a, b) => b.creationDate.localeCompare(a.creationDate) || b.name.localeCompare(a.name));
  return candidates[0] ?? `holds no ${image} ${arch} release AMI of Debian's account ${debianAwsOwner} (${images.length} images in it)`;
}
