import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sshLoginUser } from "../../src/cloudinit/ssh-login";
import { KNOWN_PAGE } from "./harness";
import { curlThroughProxy, openPortsFromClient } from "./support/clients";
import { servesMtproto } from "./support/mtproto";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";

// An AWS-style node: gzip-compressed user data (as EC2 hands it over), with SSH enabled.
describe("a node from gzip user data with SSH enabled", () => {
  let s: NodeSession;
  const keys = mkdtempSync(join(tmpdir(), "lifeline-ssh-"));
  const key = join(keys, "id_ed25519");

  beforeAll(async () => {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "organizer@test", "-f", key]);
    const publicKey = readFileSync(`${key}.pub`, "utf8").trim();
    s = await openNodeSession({ provider: "aws", name: "ssh-gzip", ssh: { enabled: true, publicKeys: [publicKey] } });
    await s.node.waitForCloudInit();
  });
  afterAll(async () => {
    await s?.close();
    rmSync(keys, { recursive: true, force: true });
  });

  const ssh = (user: string, command: string) =>
    s.network.execIn("client", "ssh", [
      "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
      "-o", "ConnectTimeout=10", `${user}@${s.network.nodeIp}`, command,
    ]);

  it("boots from the gzip bytes exactly as EC2 would pass them", () => {
    expect(s.rendered.userData.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(s.rendered.userData).toString("utf8").startsWith("#cloud-config\n")).toBe(true);
  });

  it("serves both relays", async () => {
    expect((await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout).toBe(KNOWN_PAGE);
    expect(await servesMtproto(s.network, s.rendered.links["mtproto"]!["telegram"]!)).toBe(true);
  });

  it("a full TCP scan from the client finds the relay ports plus 22", async () => {
    expect(await openPortsFromClient(s.network)).toEqual([22, 443, 2053, 4443, 8080, 8443]);
  }, 900_000);

  // The image's own default user is "debian" (stock cloud.cfg), as DigitalOcean's is root and
  // Debian's AWS images' is admin: the login user must not depend on it.
  it(`lets the organizer in as ${sshLoginUser} with the configured key, with sudo; never as root, never with a password`, async () => {
    expect((await ssh(sshLoginUser, "id -un")).stdout.trim()).toBe("admin");
    expect((await ssh(sshLoginUser, "sudo -n id -u")).stdout.trim()).toBe("0");
    const asRoot = await ssh("root", "id -un");
    expect(asRoot.code).not.toBe(0);
    expect(asRoot.stderr).toMatch(/Permission denied \(publickey\)/);
    const withPassword = await s.network.execIn("client", "ssh", [
      "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
      "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
      `${sshLoginUser}@${s.network.nodeIp}`, "true",
    ]);
    expect(withPassword.code).not.toBe(0);
    expect(withPassword.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  // Last: it leaves the node without relays.
  it("serves nothing after a reboot whose firewall fails to load, and the relay units say why", async () => {
    await s.node.exec("sh", ["-c", "echo 'this is not an nftables rule' >> /etc/nftables.conf"]);
    await s.node.reboot();
    expect((await s.node.exec("systemctl", ["is-failed", "nftables.service"])).stdout.trim()).toBe("failed");
    for (const unit of ["lifeline-mtproto.service", "lifeline-socks5.service", "lifeline-http.service", "lifeline-https.service", "lifeline-shadowsocks.service"]) {
      expect((await s.node.exec("systemctl", ["is-active", unit])).stdout.trim(), unit).not.toBe("active");
      const saysWhy = async () => /Dependency failed/.test((await s.node.exec("journalctl", ["-b", "--no-pager", "-u", unit])).stdout);
      // What the node shows if it never says so: the unit's state, and whether its message went
      // to the console instead (PID 1 writes there before journald runs).
      const shown = async () =>
        (await s.node.exec("systemctl", ["show", "-p", "ActiveState,SubState,Result,ConditionResult", unit])).stdout +
        (await s.node.exec("journalctl", ["-b", "--no-pager", "-o", "short-monotonic", "-u", "nftables.service", "-u", "systemd-journald.service", "-u", unit])).stdout +
        (await s.node.consoleLog()).split("\n").filter((l) => /Dependency failed|nftables/.test(l)).slice(-12).join("\n");
      await waitUntil(saysWhy, eventCapMs, `${unit} saying "Dependency failed" in its journal`, shown);
    }
    expect((await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout).toBe("");
    expect(await openPortsFromClient(s.network)).toEqual([22]);
  }, 900_000);
});
