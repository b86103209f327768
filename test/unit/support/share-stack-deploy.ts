import * as pulumi from "@pulumi/pulumi";
import { installMocks, settled, valueOf, type RecordedResource } from "./pulumi-mocks";
import { programRefusal } from "./program-refusal";
import type { ShareStackOutput } from "../../../src/share-stack/outputs";

/** The stack file's config as Pulumi hands it to the program: objects as JSON text. */
function setStackConfig(config: Record<string, unknown>): void {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)])));
}

/** Runs the whole Pulumi program for a share stack under the mocks, as `pulumi up` would. */
export async function deployShareStackUnderMocks(stack: string, config: Record<string, unknown>): Promise<{ recorded: RecordedResource[]; outputs: Record<string, unknown>; share: ShareStackOutput }> {
  const recorded = await installMocks(stack, undefined);
  setStackConfig(config);
  const { default: program } = await import("../../../infra/index");
  const outputs = (await program()) as Record<string, unknown>;
  const share = await valueOf(outputs["share"] as pulumi.Output<ShareStackOutput>);
  await settled(recorded);
  return { recorded, outputs, share };
}

/** The message the program refuses a stack's config with (and checks it created nothing). */
export async function shareStackRefusal(stack: string, config: Record<string, unknown>): Promise<string> {
  const recorded = await installMocks(stack, undefined);
  setStackConfig(config);
  return programRefusal(recorded);
}
