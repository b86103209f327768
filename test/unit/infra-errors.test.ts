import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { baseFleet } from "./support/fixtures";
import { installMocks } from "./support/pulumi-mocks";

describe("the Pulumi program with a bad config", () => {
  it("fails with every problem as one plain RunError and creates nothing", async () => {
    const recorded = await installMocks("broken", {
      ...baseFleet(),
      openPorts: [443],
      relays: [{ kind: "mtproto", port: 443 }, { kind: "socks5", port: 1080 }],
      groups: [{ provider: "digitalocean", regions: ["fra9"], nodesPerRegion: 1 }],
    });
    const error = await import("../../infra/index").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pulumi.RunError);
    const message = (error as Error).message;
    expect(message).toContain("lifeline:fleet.groups[0].regions[0]: \"fra9\" is not a DigitalOcean region");
    expect(message).toContain("e.g. regions: [fra1, ams3]");
    expect(recorded).toEqual([]);
  });
});
