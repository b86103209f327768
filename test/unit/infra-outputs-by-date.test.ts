import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { exampleStacks, stackFleet, withImagePins } from "./support/fixtures";
import { installMocks, settled, valueOf } from "./support/pulumi-mocks";
import { fleetOutputs } from "./support/fleet-outputs";

/** Runs the Pulumi program as `pulumi preview` would on the day `now`; every output and input resolved. */
async function previewOn(stack: string, now: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(now));
  vi.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
  vi.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  const recorded = await installMocks(stack, withImagePins(stackFleet(stack)));
  vi.resetModules();
  const { default: program } = await import("../../infra/index");
  const outputs = fleetOutputs(await valueOf(pulumi.output(await program())));
  await settled(recorded);
  return { outputs, inputs: recorded.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })) };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// A stack output that changes with the date makes every preview show a change, and hides real ones.
describe("a second preview on another day", () => {
  it.each(exampleStacks)("shows no change for %s: no output or input depends on the date it runs", async (stack) => {
    const first = await previewOn(stack, "2026-11-25T09:00:00Z");
    const second = await previewOn(stack, "2027-01-20T23:30:00Z");
    expect(second.outputs).toEqual(first.outputs);
    expect(second.inputs).toEqual(first.inputs);
    expect(first.outputs.summary.expires).toBe("2027-01-31");
  });
});
