import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deployFleet } from "../../infra/fleet";
import { loadPlan } from "../../infra/load-plan";
import { baseFleet, stackFleet, today } from "./support/fixtures";
import { installMocks, settled, type RecordedResource } from "./support/pulumi-mocks";

const vmTypes = ["digitalocean:index/droplet:Droplet", "aws:ec2/instance:Instance"];

async function deploy(stack: string, fleet: unknown) {
  const recorded = await installMocks(stack, fleet);
  const info = vi.spyOn(pulumi.log, "info");
  const warn = vi.spyOn(pulumi.log, "warn");
  deployFleet(loadPlan(stack, today), stack);
  await settled(recorded);
  const said = (spy: typeof info) => spy.mock.calls.map(([message]) => message).join("\n");
  return { recorded, info: said(info), warn: said(warn) };
}

const dbrOf = (recorded: RecordedResource[]) =>
  Object.fromEntries(recorded.filter((r) => r.id !== undefined).map((r) => [`${r.type.split(":").pop()} ${r.name}`, r.options.deleteBeforeReplace]));

const mixedFleet = (replaceInPlace?: boolean) => ({
  ...baseFleet(),
  budgetPerDay: 50,
  groups: [
    { provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 },
    { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1 },
  ],
  ...(replaceInPlace === undefined ? {} : { replaceInPlace }),
});

afterEach(() => vi.restoreAllMocks());

describe("updates within the account's limits", () => {
  it("flags a DigitalOcean stack at a new account's limits: an update replacing its 3 droplets needs 6, a rotation a 4th reserved IP", async () => {
    const { recorded, warn } = await deploy("example-do", stackFleet("example-do"));
    expect(warn).toContain("warning: DigitalOcean Droplets: an update that replaces nodes needs up to 6, but a new account's limit is 3");
    expect(warn).toContain("Set replaceInPlace: true in the stack file");
    expect(warn).toContain("warning: DigitalOcean reserved IPs: rotating a node needs 4, but a new account's limit is 3");
    // Nothing asked: Pulumi's create-first default on every resource.
    expect(Object.values(dbrOf(recorded)).every((dbr) => dbr === false)).toBe(true);
  });

  it("replaceInPlace sets deleteBeforeReplace on the droplet and the instance only, and says the outage", async () => {
    const { recorded, info, warn } = await deploy("in-place", mixedFleet(true));
    const dbr = dbrOf(recorded);
    const replacedFirst = Object.entries(dbr).filter(([, on]) => on).map(([key]) => key).sort();
    expect(replacedFirst).toEqual(["Droplet do-fra1-0", "Instance aws-eu-central-1-0"]);
    // The addresses, secrets, firewalls and assignments keep create-first (the address must outlive the VM).
    expect(dbr["ReservedIp do-fra1-0-ip"]).toBe(false);
    expect(dbr["Eip aws-eu-central-1-0-ip"]).toBe(false);
    expect(recorded.filter((r) => vmTypes.includes(r.type))).toHaveLength(2);
    expect(info).toContain("replaceInPlace is on: a node whose VM is replaced");
    expect(info).toContain("its relays are down for a few minutes");
    expect(info).toContain("DigitalOcean Droplets: 1 at most, as replaced nodes go first");
    expect(warn).not.toContain("Droplets: an update that replaces nodes");
  });

  it("leaves create-first in place without the option, and says the room it needs", async () => {
    const { recorded, info } = await deploy("create-first", mixedFleet());
    expect(recorded.filter((r) => vmTypes.includes(r.type)).map((r) => r.options.deleteBeforeReplace)).toEqual([false, false]);
    expect(info).toContain("AWS vCPUs of on-demand T instances in eu-central-1: up to 4 while nodes are replaced");
    expect(info).toContain("AWS Elastic IPs in eu-central-1: 2 while a node is rotated");
  });
});
