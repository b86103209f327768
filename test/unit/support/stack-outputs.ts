import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { installMocks, settled, valueOf } from "./pulumi-mocks";
import { today, withImagePins } from "./fixtures";

/**
 * What `pulumi stack output --json --show-secrets` prints for a stack, made by running the real
 * program (infra/index.ts, awaited as the CLI does) under Pulumi's mocks: share's tests read exactly what the program
 * exports, so the contract between the two cannot drift. One stack per test file (Pulumi's
 * runtime is global); the clock is set to the fixtures' day so expiry checks stay stable.
 */
export async function stackOutputsJson(stack: string, fleet: unknown): Promise<string> {
  // AWS nodes boot only pinned AMIs (`lifeline images refresh`); the example stacks carry none.
  const recorded = await installMocks(stack, withImagePins(fleet as Record<string, any>));
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(`${today}T12:00:00Z`) });
  try {
    vi.resetModules();
    // The program is an async function (its checks ask the cloud first); its result is the outputs.
    const { default: program } = await import("../../../infra/index");
    const outputs = await program();
    await settled(recorded);
    const exports = await valueOf(pulumi.output(outputs));
    return `${JSON.stringify(exports, null, 2)}\n`;
  } finally {
    vi.useRealTimers();
  }
}
