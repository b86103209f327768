import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import type { RecordedResource } from "./pulumi-mocks";

/**
 * Runs the Pulumi program as the Pulumi CLI does (it awaits the exported function), after
 * `installMocks` filled `recorded`, and returns the message it is refused with, after checking
 * that the refusal is a plain RunError (printed without a stack trace) and that no resource
 * was registered.
 */
export async function programRefusal(recorded: RecordedResource[]): Promise<string> {
  const { default: program } = await import("../../../infra/index");
  const error = await program().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(pulumi.RunError);
  expect(recorded).toEqual([]);
  return (error as Error).message;
}
