import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudConfig } from "../../src/cloudinit/render";
import type { PlannedNode } from "../../src/plan/types";
import { baseFleet, fixedSecrets, raisedQuotas } from "./support/fixtures";
import { planOf } from "./support/load";

const work = mkdtempSync(join(tmpdir(), "lifeline-expiry-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function nodeOf(provider: "digitalocean" | "aws", https = false): PlannedNode {
  const fleet: Record<string, any> = { ...baseFleet(), budgetPerDay: 100, quotas: raisedQuotas(), expires: "2027-01-31" };
  if (https) fleet.relays = [{ kind: "https", port: 443, options: { publicInCtLogs: true } }];
  fleet.groups = [{ provider, regions: [provider === "aws" ? "eu-central-1" : "fra1"], nodesPerRegion: 1 }];
  return planOf(fleet).nodes[0]!;
}

function files(node: PlannedNode): Map<string, string> {
  const document = parse(renderCloudConfig({ node, address: "198.51.100.7", secrets: fixedSecrets }));
  return new Map(document.write_files.map((f: { path: string; content: string }) => [f.path, f.content]));
}

/**
 * Runs the node's expire.sh as the timer would, with `date` reporting `now` and a `systemctl`
 * that records its arguments instead of acting: what the node would do at that moment.
 */
function runExpiry(script: string, now: Date): string[] {
  const bin = mkdtempSync(join(work, "bin-"));
  const log = join(bin, "systemctl.log");
  writeFileSync(join(bin, "date"), `#!/bin/sh\necho ${Math.floor(now.getTime() / 1000)}\n`);
  writeFileSync(join(bin, "systemctl"), `#!/bin/sh\necho "$*" >> ${log}\n`);
  chmodSync(join(bin, "date"), 0o755);
  chmodSync(join(bin, "systemctl"), 0o755);
  writeFileSync(log, "");
  const r = spawnSync("sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
  expect(r.status).toBe(0);
  return spawnSync("cat", [log], { encoding: "utf8" }).stdout.split("\n").filter((l) => l !== "");
}

describe("expiry in the rendered user data", () => {
  it("plans the end of the expires day, UTC, for every node", () => {
    expect(nodeOf("aws").expiresAt).toBe("2027-02-01T00:00:00Z");
    expect(nodeOf("digitalocean").expiresAt).toBe("2027-02-01T00:00:00Z");
  });

  it.each([
    ["aws", ["disable --now lifeline-mtproto.service lifeline-socks5.service", "mask --runtime lifeline-mtproto.service lifeline-socks5.service", "poweroff"]],
    // A powered-off droplet still bills: DigitalOcean nodes only stop their relays.
    ["digitalocean", ["disable --now lifeline-mtproto.service lifeline-socks5.service", "mask --runtime lifeline-mtproto.service lifeline-socks5.service"]],
  ] as const)("schedules the %s action at that moment, and nothing before it", (provider, actions) => {
    const f = files(nodeOf(provider));
    const timer = f.get("/etc/systemd/system/lifeline-expiry.timer")!;
    expect(timer).toContain("OnCalendar=2027-02-01 00:00:00 UTC\n");
    expect(timer).toContain("OnBootSec=30s\n");
    expect(f.get("/etc/systemd/system/lifeline-expiry.service")).toContain("ExecStart=/bin/sh /usr/local/lib/lifeline/expire.sh\n");
    const script = f.get("/usr/local/lib/lifeline/expire.sh")!;
    expect(runExpiry(script, new Date("2027-01-31T23:59:59Z"))).toEqual([]);
    expect(runExpiry(script, new Date("2027-02-01T00:00:00Z"))).toEqual(actions);
    expect(runExpiry(script, new Date("2027-03-01T00:00:00Z"))).toEqual(actions);
  });

  it("starts the timer only after every relay step, so a node booting after expiry never serves", () => {
    const f = files(nodeOf("digitalocean"));
    const steps = [...f.keys()].filter((p) => p.startsWith("/usr/local/lib/lifeline/steps/")).sort();
    expect(steps.at(-1)).toBe("/usr/local/lib/lifeline/steps/99-expiry.sh");
    expect(f.get(steps.at(-1)!)).toBe("systemctl daemon-reload\nsystemctl enable --now lifeline-expiry.timer\n");
  });

  it.each(["aws", "digitalocean"] as const)("stops the https certificate's renewal at that moment on %s: no new CT log entry after expiry", (provider) => {
    const script = files(nodeOf(provider, true)).get("/usr/local/lib/lifeline/expire.sh")!;
    const units = "lifeline-https.service lifeline-https-certificate.timer lifeline-https-certificate.service";
    expect(runExpiry(script, new Date("2027-01-31T23:59:59Z"))).toEqual([]);
    expect(runExpiry(script, new Date("2027-02-01T00:00:00Z")).slice(0, 2)).toEqual([`disable --now ${units}`, `mask --runtime ${units}`]);
  });
});
