/**
 * Proves the node harness end to end: image, blackout network, a booted node that installs a
 * package from the Debian archive, traffic through the censor, and a reboot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bootNode,
  cleanupStaleState,
  createBlackoutNetwork,
  ensureBaseImage,
  KNOWN_PAGE,
  SMTP_BANNER,
  type BlackoutNetwork,
  type NodeHandle,
} from "./harness";

const SOCKS_PORT = 8080;

const USER_DATA = `#cloud-config
package_update: true
packages: [microsocks]
write_files:
  - path: /etc/systemd/system/socks-test.service
    content: |
      [Unit]
      Description=microsocks for the harness smoke test
      After=network-online.target
      [Service]
      ExecStart=/usr/bin/microsocks -i 0.0.0.0 -p ${SOCKS_PORT}
      DynamicUser=true
      Restart=on-failure
      [Install]
      WantedBy=multi-user.target
runcmd:
  - [systemctl, daemon-reload]
  - [systemctl, enable, --now, socks-test.service]
  - [sh, -c, "echo ran >> /var/lib/runcmd-count"]
`;

describe("node harness", () => {
  let network: BlackoutNetwork | undefined;
  let node: NodeHandle | undefined;

  beforeAll(async () => {
    const stale = await cleanupStaleState();
    if (stale.length > 0) console.log(`removed stale state:\n${stale.join("\n")}`);
    const t0 = Date.now();
    await ensureBaseImage();
    console.log(`base image ready in ${Date.now() - t0} ms`);
    network = await createBlackoutNetwork({ openPorts: [443, SOCKS_PORT] });
    const t1 = Date.now();
    node = await bootNode({ userData: USER_DATA, network, name: "smoke" });
    await node.waitForCloudInit(600_000);
    console.log(`boot to cloud-init done: ${Date.now() - t1} ms`);
  });

  afterAll(async () => {
    await node?.stop();
    await network?.destroy();
  });

  const net = () => network as BlackoutNetwork;
  const n = () => node as NodeHandle;
  const socksFetch = () =>
    net().execIn("client", "curl", [
      "-sS",
      "--max-time",
      "20",
      "--socks5-hostname",
      `${net().nodeIp}:${SOCKS_PORT}`,
      `http://${net().internet.ip}:${net().internet.ports.http}/`,
    ]);

  it("fetches the internet page through the node's SOCKS proxy from the client", async () => {
    const r = await socksFetch();
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(KNOWN_PAGE);
  });

  it("runs the proxy as a non-root user", async () => {
    const r = await n().exec("ps", ["-o", "user=", "-C", "microsocks"]);
    expect(r.stdout.trim()).not.toBe("");
    expect(r.stdout).not.toMatch(/root/);
  });

  it("censor drops a port that is not open (timeout, not refused)", async () => {
    const r = await net().execIn("client", "curl", ["-sS", "--connect-timeout", "3", `http://${net().nodeIp}:9999/`]);
    expect(r.code).toBe(28);
  });

  it("censor passes an open port even where nothing listens (refused by the node)", async () => {
    const r = await net().execIn("client", "curl", ["-sS", "--connect-timeout", "3", `http://${net().nodeIp}:443/`]);
    expect(r.code).toBe(7);
  });

  it("client cannot reach the internet host directly", async () => {
    const r = await net().execIn("client", "curl", ["-sS", "--connect-timeout", "3", `http://${net().internet.ip}/`]);
    expect(r.code).not.toBe(0);
  });

  it("node reads the internet host's SMTP banner", async () => {
    const { ip, ports } = net().internet;
    const r = await n().exec("bash", ["-c", `exec 3<>/dev/tcp/${ip}/${ports.smtp}; head -n1 <&3`], { timeoutMs: 10_000 });
    expect(r.stdout).toContain(SMTP_BANNER);
  });

  it("inside-node exec reaches systemd, the journal and cloud-init", async () => {
    expect((await n().exec("systemctl", ["is-active", "socks-test.service"])).stdout.trim()).toBe("active");
    expect((await n().exec("journalctl", ["-b", "-u", "socks-test.service", "--no-pager"])).stdout).toMatch(/Started/);
    expect((await n().exec("cloud-init", ["status", "--long"])).stdout).toMatch(/status: done/);
    expect((await n().exec("cat", ["/var/log/cloud-init-output.log"])).stdout).toMatch(/microsocks/);
  });

  it("runs the node on the unified cgroup hierarchy, where a unit's IPAddressDeny= is enforced (as on a Debian 12 VM)", async () => {
    expect((await n().exec("stat", ["-f", "-c", "%T", "/sys/fs/cgroup"])).stdout.trim()).toBe("cgroup2fs");
    const page = `http://${net().internet.ip}:${net().internet.ports.http}/`;
    const curl = (...props: string[]) =>
      n().exec("systemd-run", ["--wait", "--pipe", "--quiet", ...props.flatMap((p) => ["-p", p]), "curl", "-sS", "--max-time", "3", page]);
    expect((await curl()).stdout).toBe(KNOWN_PAGE);
    const denied = await curl(`IPAddressDeny=${net().internet.ip}`);
    expect(denied.stdout).toBe("");
    expect(denied.code).not.toBe(0);
  });

  it("survives a reboot: cloud-init does not run again, the service comes back", async () => {
    const t = Date.now();
    await n().reboot();
    console.log(`reboot to systemd ready: ${Date.now() - t} ms`);
    await n().waitForCloudInit(120_000);
    expect((await n().exec("cat", ["/var/lib/runcmd-count"])).stdout).toBe("ran\n");
    expect((await n().exec("systemctl", ["is-active", "socks-test.service"])).stdout.trim()).toBe("active");
    expect((await socksFetch()).stdout).toBe(KNOWN_PAGE);
  });
});
