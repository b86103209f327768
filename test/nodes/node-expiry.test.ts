import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import { curlThroughProxy } from "./support/clients";
import { servesMtproto } from "./support/mtproto";
import { openNodeSession, waitUntil, type NodeSession } from "./support/node-session";

// Expiry on booted nodes, one of each provider, booted together from the local-nodes stack with
// one change: the node's expiry instant (planned as the end of the `expires` day, UTC) is moved
// to a few minutes after boot, since a test cannot wait for a day to end. Everything else, the
// timer, its script and the setup step that starts it, is the unaltered rendered user data.
// What the container cannot show: that EC2 terminates an instance whose OS powered off (that is
// `instanceInitiatedShutdownBehavior: terminate`, set by infra/aws-node.ts), and billing.

/** Long enough for both nodes to boot and finish cloud-init on a busy machine, with a minute to spare. */
const bootBudgetSeconds = 300;
const expiresAt = new Date(Math.ceil(Date.now() / 1000 + bootBudgetSeconds) * 1000).toISOString().replace(".000Z", "Z");
const expiryMs = Date.parse(expiresAt);
const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

describe(`expiry at ${expiresAt} on booted nodes`, () => {
  let digitalocean: NodeSession;
  let aws: NodeSession;
  /** When the AWS-style node's systemd ended, and how. */
  let awsOff: Promise<{ code: number | null; at: number }>;

  const servesSocks = async (s: NodeSession) => (await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout === KNOWN_PAGE;
  const servesHttp = async (s: NodeSession) => (await curlThroughProxy(s.network, s.rendered.links["http"]!["url"]!)).stdout === KNOWN_PAGE;
  const servesTelegram = (s: NodeSession) => servesMtproto(s.network, s.rendered.links["mtproto"]!["telegram"]!);

  beforeAll(async () => {
    [digitalocean, aws] = await Promise.all([
      openNodeSession({ provider: "digitalocean", name: "expiry-do", expiresAt }),
      openNodeSession({ provider: "aws", name: "expiry-aws", expiresAt }),
    ]);
    awsOff = aws.node.exited().then((code) => ({ code, at: Date.now() }));
    await Promise.all([digitalocean.node.waitForCloudInit(), aws.node.waitForCloudInit()]);
  });
  afterAll(async () => {
    await digitalocean?.close();
    await aws?.close();
  });

  it("both nodes serve a minute before their expiry, with the timer set for it", async () => {
    const left = (expiryMs - Date.now()) / 1000;
    process.stdout.write(`both nodes booted and set up with ${left.toFixed(0)} s left before expiry\n`);
    expect(left, "seconds left before expiry when both nodes had booted (raise bootBudgetSeconds)").toBeGreaterThan(65);
    await sleepUntil(expiryMs - 60_000);
    for (const s of [digitalocean, aws]) {
      expect(await servesSocks(s)).toBe(true);
      expect(await servesTelegram(s)).toBe(true);
      const timer = await s.node.exec("systemctl", ["show", "lifeline-expiry.timer", "-p", "ActiveState", "-p", "NextElapseUSecRealtime"]);
      expect(timer.stdout).toContain("ActiveState=active");
      // systemd prints e.g. "Wed 2026-11-25 16:48:48 UTC" (the node's zone is UTC).
      const next = /NextElapseUSecRealtime=\w+ (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/.exec(timer.stdout);
      expect(next, timer.stdout).not.toBeNull();
      expect(Date.parse(`${next![1]}T${next![2]}Z`)).toBe(expiryMs);
    }
  });

  it("DigitalOcean: the relays stop when the minute passes; the droplet stays up, and they stay down after a reboot", async () => {
    const s = digitalocean;
    await sleepUntil(expiryMs);
    const after = await waitUntil(async () => !(await servesSocks(s)), 30_000, "socks5 stops serving after expiry");
    expect(await servesTelegram(s)).toBe(false);
    expect(await servesHttp(s)).toBe(false);
    const units = ["lifeline-mtproto.service", "lifeline-socks5.service", "lifeline-http.service", "lifeline-shadowsocks.service"];
    // squid refuses new connections at once but may take its shutdown_lifetime to exit.
    const allStopped = await waitUntil(
      async () => (await s.node.exec("systemctl", ["is-active", ...units])).stdout.trim().split("\n").every((state) => state === "inactive"),
      60_000,
      "every relay unit inactive after expiry",
    );
    expect((await s.node.exec("systemctl", ["is-system-running"])).stdout.trim()).toMatch(/running|degraded/);
    const journal = await s.node.exec("journalctl", ["-u", "lifeline-expiry.service", "--no-pager", "-o", "cat"]);
    expect(journal.stdout).toContain(`lifeline: the stack expired at ${expiresAt}: relays stopped; the droplet keeps billing until pulumi destroy`);
    process.stdout.write(`digitalocean node: socks5 refused ${after.toFixed(1)} s after expiry; every relay unit inactive ${(after + allStopped).toFixed(1)} s after\n`);

    await s.node.reboot();
    await new Promise((r) => setTimeout(r, 40_000)); // past the timer's OnBootSec=30s
    expect(await servesSocks(s)).toBe(false);
    expect(await servesTelegram(s)).toBe(false);
    expect((await s.node.exec("ss", ["-Hltn"])).stdout).not.toMatch(/:(443|8443|8080|2053)\s/);
  });

  it("AWS: the node powers itself off when the minute passes (EC2 then terminates it)", async () => {
    const off = await Promise.race([awsOff, sleepUntil(expiryMs + 60_000).then(() => undefined)]);
    expect(off, "the AWS-style node was still running a minute after expiry").toBeDefined();
    expect(off!.code).toBe(0);
    const seconds = (off!.at - expiryMs) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(await servesSocks(aws)).toBe(false);
    // The console after setup: systemd prints "Stopped" only for a unit that was running, so the
    // expiry service (a oneshot) was running its script when the poweroff began.
    const console = (await aws.node.consoleLog()).replace(/\x1b\[[0-9;]*m/g, "");
    const afterSetup = console.slice(console.lastIndexOf("Reached target cloud-init.target"));
    expect(afterSetup).toMatch(/Stopped lifeline-expiry\.se/);
    expect(afterSetup).toContain("Reached target poweroff.target - System Power Off");
    process.stdout.write(`aws node: powered off ${seconds.toFixed(1)} s after expiry\n`);
  });
});
