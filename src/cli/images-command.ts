import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { awsImagePins, type ImagePin } from "../images/aws-image-pins";
import { answerFile, describeImagesCommand, newestDebianAmi, type DebianAmi } from "../images/describe-images";
import { loadFleetPlan } from "../plan/plan";
import { CliError } from "./cli-error";
import { readStackFile } from "./stack-file";

export interface ImagesRefreshOptions {
  stack: string;
  stacksDir: string;
  /** Folder of `aws ec2 describe-images` answers; without it, the queries are printed. */
  from?: string;
  today: string;
}

function readAnswer(folder: string, pin: ImagePin): DebianAmi {
  const file = join(folder, answerFile(pin.region, pin.arch));
  if (!existsSync(file)) throw new CliError(`${file} does not exist: run the query for ${pin.key} first (npm run images -- refresh --stack <name> prints it)`);
  let answer: unknown;
  try {
    answer = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`${file} is not JSON: write it with the printed aws ec2 describe-images query (--output json)`);
  }
  const newest = newestDebianAmi(answer, pin.image, pin.arch);
  if (typeof newest === "string") throw new CliError(`${file} ${newest}`);
  return newest;
}

/**
 * `lifeline images refresh`: pins the current Debian AMI of every AWS region and architecture
 * the stack uses into its stack file, on purpose. It needs AWS's answer, which only the
 * organizer's credentials can get: without `--from` it prints the queries that write it.
 */
export function runImagesRefresh(options: ImagesRefreshOptions, print: (text: string) => void): void {
  const { source, fleet } = readStackFile(options.stacksDir, options.stack);
  const plan = loadFleetPlan(fleet, { source, today: options.today, allowPastExpiry: true });
  const pins = awsImagePins(plan);
  if (pins.length === 0) {
    print(`${source} has no AWS nodes: DigitalOcean nodes boot the image slug of their release (${plan.nodes[0]?.image ?? "debian-12"}), nothing to pin`);
    return;
  }
  if (options.from === undefined) {
    const folder = `debian-amis-${options.stack}`;
    print(`# The current ${pins[0]!.image} AMIs for ${source}, from AWS with your credentials (one query per region and architecture):`);
    print(`mkdir -p '${folder}'`);
    for (const pin of pins) print(describeImagesCommand(pin.image, pin.region, pin.arch, folder));
    print(`# then pin them: npm run images -- refresh --stack ${options.stack} --from '${folder}'`);
    return;
  }
  const found = pins.map((pin) => ({ pin, ami: readAnswer(options.from!, pin) }));
  const path = join(options.stacksDir, `Pulumi.${options.stack}.yaml`);
  const document = parseDocument(readFileSync(path, "utf8"));
  for (const { pin, ami } of found) document.setIn(["config", "lifeline:fleet", "images", pin.image, pin.key], ami.imageId);
  writeFileSync(path, document.toString({ lineWidth: 0 }));
  const changed = found.filter(({ pin, ami }) => pin.ami !== ami.imageId);
  for (const { pin, ami } of found) {
    print(`${pin.image} ${pin.key}: ${pin.ami === ami.imageId ? `${ami.imageId} (unchanged)` : `${pin.ami ?? "none"} -> ${ami.imageId}`} (${ami.name})`);
  }
  print(
    changed.length === 0
      ? `${source}: every pin already current`
      : `wrote ${source}: the next pulumi up replaces the AWS nodes of ${changed.map(({ pin }) => pin.key).join(", ")} with the new image (their addresses and links stay)`,
  );
}
