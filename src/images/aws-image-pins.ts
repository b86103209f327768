import type { Arch } from "../catalog";
import { imagePinKey, type DebianImage } from "../catalog/images";
import type { FleetPlan } from "../plan/types";

/** One AMI a stack needs pinned: every AWS node of that region and architecture boots it. */
export interface ImagePin {
  image: DebianImage;
  region: string;
  arch: Arch;
  /** `eu-central-1/arm64`, the key under `images.<image>`. */
  key: string;
  /** The pinned AMI, undefined while none is. */
  ami: string | undefined;
}

/** The AMIs the stack's AWS nodes (relays and probe) boot, one per region and architecture. */
export function awsImagePins(plan: FleetPlan): ImagePin[] {
  const pins = new Map<string, ImagePin>();
  for (const node of [...plan.nodes, ...(plan.probe ? [plan.probe] : [])]) {
    if (node.provider !== "aws") continue;
    const key = imagePinKey(node.region, node.arch);
    if (!pins.has(key)) pins.set(key, { image: node.image, region: node.region, arch: node.arch, key, ami: node.ami });
  }
  return [...pins.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** How to pin them, for messages. */
export function refreshCommand(stack: string): string {
  return `npm run images -- refresh --stack ${stack}`;
}

/** Lines for `plan`: the image, and each AWS pin or that it is missing. */
export function describeImages(plan: FleetPlan, stack: string): string[] {
  const image = plan.nodes[0]?.image ?? plan.probe?.image;
  if (image === undefined) return [];
  const pins = awsImagePins(plan);
  const missing = pins.filter((p) => p.ami === undefined);
  return [
    `image: ${image}${pins.length > 0 ? `; AWS AMIs pinned per region and architecture (a replacement boots the same one until you refresh them):` : ""}`,
    ...pins.map((p) => `  - ${p.key}: ${p.ami ?? "not pinned"}`),
    ...(missing.length > 0 ? [`  pin them before pulumi up: ${refreshCommand(stack)}`] : []),
  ];
}

/** Why `pulumi up` refuses: AWS nodes whose AMI is not pinned, with the command that pins it. */
export function missingImagePinsMessage(plan: FleetPlan, stack: string): string | undefined {
  const missing = awsImagePins(plan).filter((p) => p.ami === undefined);
  if (missing.length === 0) return undefined;
  return [
    `stacks/Pulumi.${stack}.yaml: no AMI pinned for ${missing.map((p) => `${p.image} ${p.key}`).join(", ")}, nothing was created.`,
    `Every AWS node boots the AMI pinned under images.<release>.<region>/<arch>, so that a replacement boots the same one. Pin the current Debian AMIs: ${refreshCommand(stack)}`,
  ].join("\n");
}
