import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { baseFleet } from "./support/fixtures";
import { installMocks } from "./support/pulumi-mocks";

/** Runs the Pulumi program afresh (a second import would not run it again); resolves to its error. */
function runProgram(): Promise<unknown> {
  vi.resetModules();
  return import("../../infra/index").then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("the Pulumi program with a bad config", () => {
  it("fails with every problem as one plain RunError and creates nothing", async () => {
    const recorded = await installMocks("broken", {
      ...baseFleet(),
      openPorts: [443],
      relays: [{ kind: "mtproto", port: 443 }, { kind: "socks5", port: 1080 }],
      groups: [{ provider: "digitalocean", regions: ["fra9"], nodesPerRegion: 1 }],
    });
    const error = await runProgram();
    expect(error).toBeInstanceOf(pulumi.RunError);
    const message = (error as Error).message;
    expect(message).toContain("lifeline:fleet.groups[0].regions[0]: \"fra9\" is not a DigitalOcean region");
    expect(message).toContain("e.g. regions: [fra1, ams3]");
    expect(recorded).toEqual([]);
  });

  it("refuses a stack over an account limit the same way, naming the limit and where to raise it", async () => {
    const recorded = await installMocks("over-quota", {
      ...baseFleet(),
      groups: [{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 }],
    });
    const error = await runProgram();
    expect(error).toBeInstanceOf(pulumi.RunError);
    const message = (error as Error).message;
    expect(message).toContain("stacks/Pulumi.over-quota.yaml: 2 problems in the fleet config, nothing was created");
    expect(message).toContain("lifeline:fleet.quotas.digitalocean.reservedIps: this stack needs 4 reserved IPs, but a new DigitalOcean account has 3");
    expect(message).toContain("Networking > Reserved IPs");
    expect(recorded).toEqual([]);
  });
});
