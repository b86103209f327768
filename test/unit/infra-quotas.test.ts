import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { loadPlan } from "../../infra/load-plan";
import { baseFleet, stackFleet, today } from "./support/fixtures";
import { installMocks } from "./support/pulumi-mocks";

describe("the Pulumi program and account limits", () => {
  it("says, before creating anything, which limits beyond a new account's the stack relies on", async () => {
    await installMocks("raised", {
      ...baseFleet(),
      budgetPerDay: 100,
      groups: [{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 2 }],
      quotas: { digitalocean: { reservedIps: 10, droplets: 10 } },
    });
    const info = vi.spyOn(pulumi.log, "info");
    loadPlan("raised", today);
    const said = info.mock.calls.map(([message]) => message).join("\n");
    expect(said).toContain("account quotas beyond a new account's defaults");
    expect(said).toContain("DigitalOcean reserved IPs: 4 (new accounts: 3; declared 10 as quotas.digitalocean.reservedIps)");
    info.mockRestore();
  });

  it("says so too when a stack fits a new account", async () => {
    await installMocks("example-aws", stackFleet("example-aws"));
    const info = vi.spyOn(pulumi.log, "info");
    loadPlan("example-aws", today);
    expect(info.mock.calls.map(([message]) => message)).toContain("account quotas: within a new account's defaults");
    info.mockRestore();
  });
});
