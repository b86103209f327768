import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { baseFleet, raisedQuotas } from "./support/fixtures";
import { deployUnderMocks } from "./support/mocked-deploy";
import { runPlanCli, writeStack, inDays } from "./support/plan-cli";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const big = (perRegion: number) => ({
  ...baseFleet(),
  budgetPerDay: 1000,
  quotas: raisedQuotas(),
  groups: [{ provider: "digitalocean", regions: ["fra1", "ams3", "lon1"], nodesPerRegion: perRegion }],
  probe: { provider: "digitalocean", region: "sgp1" },
});

async function addresses(fleet: unknown) {
  const { recorded, plan } = await deployUnderMocks("waves", fleet);
  const names = [...plan.nodes, plan.probe!].map((n) => n.name);
  const ips = new Map(recorded.filter((r) => r.type === "digitalocean:index/reservedIp:ReservedIp").map((r) => [r.name.replace(/-ip$/, ""), r]));
  return { names, ips };
}

afterEach(() => vi.restoreAllMocks());

// DigitalOcean refuses a 13th reserved-IP creation within a minute.
describe("DigitalOcean's reserved-IP rate limit", () => {
  it("makes a 31-address stack's addresses in waves of 12: each waits for the address 12 places earlier to be on its droplet", async () => {
    vi.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
    const { names, ips } = await addresses(big(10));
    expect(names).toHaveLength(31);
    names.forEach((name, i) => {
      const waits = ips.get(name)!.options.dependencies;
      if (i < 12) expect(waits, name).toEqual([]);
      else expect(waits.map((urn) => urn.split("::").pop()), name).toEqual([`${names[i - 12]}-ip-assignment`]);
    });
    // The probe, last, waits too: it counts against the same limit.
    expect(ips.get("do-sgp1-probe")!.options.dependencies[0]).toMatch(/::do-ams3-8-ip-assignment$/);
  });

  it("orders only: every input is what it was without waves", async () => {
    vi.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
    const { ips } = await addresses(big(10));
    for (const ip of ips.values()) expect(Object.keys(ip.inputs)).toEqual(["region"]);
  });

  it("leaves a small stack without waits, and plan says the waves of a big one", async () => {
    vi.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
    const { ips } = await addresses(big(3));
    for (const ip of ips.values()) expect(ip.options.dependencies).toEqual([]);

    const work = mkdtempSync(join(tmpdir(), "lifeline-waves-"));
    try {
      writeStack(work, "big", { ...big(10), expires: inDays(10) });
      const r = runPlanCli("--stack", "big", "--stacks-dir", work);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("DigitalOcean makes at most 12 reserved IPs a minute: this stack's 31 addresses are made in 3 waves of up to 12");
      expect(r.stdout).toContain("npx pulumi config set digitalocean:httpRetryMax 10");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
