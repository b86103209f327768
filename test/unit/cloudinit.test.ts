import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { encodeUserData, userDataLimits } from "../../src/cloudinit/encode";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { maxSshKeys } from "../../src/config/schema";
import { pinnedMtgRelease as mtgRelease } from "../../src/relays/mtproto/release";
import { relayKinds } from "../../src/relays/registry";
import type { PlannedNode } from "../../src/plan/types";
import { baseFleet, exampleStacks, fixedSecrets, stackFleet } from "./support/fixtures";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { issuesOf, planOf } from "./support/load";
import { FleetConfigError } from "../../src/config/issues";

const address = "198.51.100.7";

function render(node: PlannedNode): string {
  return renderCloudConfig({ node, address, secrets: fixedSecrets });
}

function filesOf(document: string): Map<string, { content: string; permissions: string }> {
  return new Map(parse(document).write_files.map((f: any) => [f.path, f]));
}

/**
 * The biggest user data a config can ask for: every relay kind, the longest options, SSH with
 * `sshKeys` of the longest keys (random, so gzip cannot shrink them).
 */
function largestFleet(sshKeys = maxSshKeys): Record<string, any> {
  const fleet = baseFleet();
  // 80 stays free: the https relay's certificate is validated there.
  const ports = [443, 8443, 8080, 8843, 8388, 993, 5228, 2053];
  fleet.openPorts = [22, ...ports];
  expect(relayKinds.length).toBeLessThanOrEqual(ports.length);
  fleet.relays = relayKinds.map((r, i) => ({ kind: r.kind, port: ports[i] }));
  fleet.abuse = { blockedPorts: Array.from({ length: 200 }, (_, i) => 20000 + i * 7), allowedPorts: Array.from({ length: 100 }, (_, i) => 30000 + i) };
  const key = () => `ssh-rsa ${randomBytes(700).toString("base64").slice(0, 900)} ${"k".repeat(80)}`;
  fleet.ssh = { enabled: true, publicKeys: Array.from({ length: sshKeys }, key) };
  fleet.relays[0].options = { frontingHost: `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.example.com` };
  fleet.artifactMirror = `https://${"m".repeat(60)}.example.org/${"p".repeat(120)}`;
  const https = fleet.relays.find((r: { kind: string }) => r.kind === "https");
  https.options = { acmeDirectory: `https://${"a".repeat(60)}.example.org:14000/${"d".repeat(120)}` };
  const longName = (n: number) => `${String(n).repeat(60)}.${"e".repeat(60)}.example.com`;
  const vless = fleet.relays.find((r: { kind: string }) => r.kind === "vless");
  vless.options = { target: { host: longName(1), port: 443 }, serverNames: [longName(2), longName(3), longName(4)] };
  return fleet;
}

/**
 * The largest config the planner accepts on a cloud: as many keys as still fit (all of them on
 * DigitalOcean; fewer on AWS, whose limit is the tighter one and whose nodes also carry the
 * wait for their Elastic IP).
 */
function largestNode(provider: "digitalocean" | "aws" = "digitalocean"): PlannedNode {
  for (let keys = maxSshKeys; keys >= 0; keys--) {
    const fleet = largestFleet(keys);
    fleet.groups = [provider === "aws" ? { provider, regions: ["eu-north-1"], nodesPerRegion: 1, size: "t3.micro" } : { provider, regions: ["fra1"], nodesPerRegion: 1 }];
    try {
      return planOf(fleet).nodes[0]!;
    } catch (error) {
      if (!(error instanceof FleetConfigError)) throw error;
    }
  }
  throw new Error("no SSH key count fits");
}

describe("cloud-config rendering", () => {
  const nodes = exampleStacks.flatMap((stack) => planOf(stackFleet(stack)).nodes);

  it.each(nodes.map((n) => [n.name, n] as const))("renders user data for %s that the real cloud-init schema validator accepts", (_name, node) => {
    const result = cloudInitSchema(render(node));
    expect(result.output).toContain("Valid cloud-config");
    expect(result.valid).toBe(true);
  });

  it("is checked by a validator that really refuses a broken document", () => {
    expect(cloudInitSchema("#cloud-config\npackages: 5\n").valid).toBe(false);
  });

  it("renders a valid document for the largest config allowed, within both clouds' limits", () => {
    const node = largestNode();
    const document = render(node);
    expect(cloudInitSchema(document).valid).toBe(true);
    const plain = encodeUserData("digitalocean", node.name, document);
    expect(plain.bytes).toBeLessThanOrEqual(userDataLimits.digitalocean.maxBytes);
    // AWS nodes carry more (the wait for their Elastic IP): measure their own document.
    const awsDocument = render(largestNode("aws"));
    expect(cloudInitSchema(awsDocument).valid).toBe(true);
    const gzipped = encodeUserData("aws", node.name, awsDocument);
    expect(gzipped.bytes).toBeLessThanOrEqual(userDataLimits.aws.maxBytes);
    expect(gunzipSync(Buffer.from(gzipped.value, "base64")).toString("utf8")).toBe(awsDocument);
  });

  it("refuses, at plan time, a config whose user data would not fit its cloud, and accepts it with fewer SSH keys", () => {
    const onAws = (keys: number) => ({ ...largestFleet(keys), groups: [{ provider: "aws", regions: ["eu-north-1"], nodesPerRegion: 1, size: "t3.micro" }] });
    expect(issuesOf(onAws(maxSshKeys))).toEqual([
      expect.objectContaining({ path: "relays", message: expect.stringMatching(/^aws nodes' user data would be about \d+ bytes gzipped, over aws's limit of 16384: use fewer or shorter SSH keys/) }),
    ]);
    // Every relay kind, every option at its longest, with one long RSA key still fits AWS; DigitalOcean takes two (its limit is on the raw document).
    expect(planOf(onAws(1)).nodes[0]!.relays).toHaveLength(relayKinds.length);
    expect(planOf(largestFleet(2)).nodes[0]!.provider).toBe("digitalocean");
  });

  it("refuses user data over a cloud's limit with a message naming the node", () => {
    const huge = "#cloud-config\n# " + randomBytes(40_000).toString("base64");
    expect(() => encodeUserData("aws", "aws-eu-north-1-0", huge)).toThrow(/aws-eu-north-1-0: user data is \d+ bytes gzipped, over aws's limit of 16384/);
  });

  it("runs every relay as its own unprivileged user, restarting forever, with its output discarded", () => {
    const files = filesOf(render(largestNode()));
    for (const kind of relayKinds.map((r) => r.kind)) {
      const unit = files.get(`/etc/systemd/system/lifeline-${kind}.service`)!.content;
      expect(unit).toMatch(new RegExp(`^User=lifeline-${kind}$`, "m"));
      expect(unit).toMatch(/^Restart=always$/m);
      expect(unit).toMatch(/^StandardOutput=null$/m);
      expect(unit).toMatch(/^StandardError=null$/m);
      expect(unit).toMatch(/^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
    }
  });

  it("sandboxes every relay unit, with its own IP filter, and starts it only behind a loaded firewall", () => {
    const files = filesOf(render(largestNode()));
    for (const kind of relayKinds.map((r) => r.kind)) {
      const unit = files.get(`/etc/systemd/system/lifeline-${kind}.service`)!.content;
      for (const line of ["Requires=nftables.service", "ExecStartPre=+/usr/local/lib/lifeline/require-firewall.sh", "ProtectSystem=strict",
        "PrivateDevices=yes", "ProtectKernelTunables=yes", "RestrictNamespaces=yes", "MemoryDenyWriteExecute=yes", "SystemCallFilter=@system-service",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "NoNewPrivileges=yes"]) {
        expect(unit, `${kind}: ${line}`).toMatch(new RegExp(`^${line.replace(/[+.]/g, "\\$&")}$`, "m"));
      }
      expect(unit).toMatch(/^After=.*nftables\.service/m);
      const deny = /^IPAddressDeny=(.*)$/m.exec(unit)![1]!.split(" ");
      expect(deny).toEqual(expect.arrayContaining(["127.0.0.0/8", "169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fe80::/10"]));
      expect(unit.match(/^IPAddressAllow=(.*)$/m)?.[1] ?? "", kind).toBe(kind === "mtproto" ? "127.0.0.1" : "");
    }
    const check = files.get("/usr/local/lib/lifeline/require-firewall.sh")!.content;
    expect(check).toContain("nft list chain inet lifeline output");
    expect(check).toMatch(/exit 1\n$/);
  });

  it("lets a thread-per-connection relay and the kernel hold 10,000 tunnels on a small VM", () => {
    const files = filesOf(render(largestNode()));
    expect(files.get("/etc/systemd/system/lifeline-socks5.service")!.content).toMatch(/^TasksMax=infinity$/m);
    expect(files.get("/etc/systemd/system/lifeline-http.service")!.content).not.toMatch(/TasksMax/);
    const sysctl = files.get("/etc/sysctl.d/90-lifeline.conf")!.content;
    expect(Number(/^kernel\.threads-max = (\d+)$/m.exec(sysctl)?.[1])).toBeGreaterThan(20_000);
    expect(Number(/^kernel\.pid_max = (\d+)$/m.exec(sysctl)?.[1])).toBeGreaterThan(20_000);
  });

  it("finds the node's resolvers and addresses at first boot, before the firewall loads", () => {
    const host = filesOf(render(nodes[0]!)).get("/usr/local/lib/lifeline/steps/00-host.sh")!.content;
    expect(host.indexOf("/etc/lifeline/nft.d/resolvers.nft")).toBeLessThan(host.indexOf("nft -f /etc/nftables.conf"));
    expect(host).toContain(String.raw`printf '[Service]\nIPAddressDeny=%s\n' "` + `${address} $own" > /etc/systemd/system/lifeline-.service.d/50-node-addresses.conf`);
    const setup = filesOf(render(nodes[0]!)).get("/usr/local/lib/lifeline/setup.sh")!.content;
    expect(setup).toContain("no relay was started");
  });

  it("restarts relays after upgrades replace their files, and reboots for kernel updates at 21:30 UTC", () => {
    const files = filesOf(render(nodes[0]!));
    expect(files.get("/etc/apt/apt.conf.d/80lifeline-restart-relays")!.content).toMatch(/^DPkg::Post-Invoke \{ ".*restart-outdated-relays\.sh.*"; \};$/m);
    expect(files.get("/usr/local/lib/lifeline/restart-outdated-relays.sh")!.content).toContain("[(]deleted[)]");
    const reboot = files.get("/etc/apt/apt.conf.d/52lifeline-reboot")!.content;
    expect(reboot).toContain('Unattended-Upgrade::Automatic-Reboot "true";');
    expect(reboot).toContain('Unattended-Upgrade::Automatic-Reboot-Time "21:30";');
  });

  it("keeps credentials out of world-readable files", () => {
    const document = render(nodes[0]!);
    for (const [path, file] of filesOf(document)) {
      const holdsSecret = [fixedSecrets.socks5.password, fixedSecrets.mtproto.key].some((s) => file.content.includes(s));
      if (holdsSecret) expect(["0600", "0640"], path).toContain(file.permissions);
    }
    expect(filesOf(document).get("/etc/lifeline/socks5.env")!.permissions).toBe("0600");
  });

  it("configures squid to log nothing, hide the client, and require the generated password", () => {
    const fleet = baseFleet();
    fleet.openPorts = [443, 8080];
    fleet.relays = [{ kind: "http", port: 8080 }];
    const files = filesOf(render(planOf(fleet).nodes[0]!));
    const conf = files.get("/etc/lifeline/http-proxy.conf")!.content;
    for (const line of ["http_port 8080", "access_log none", "cache_log stdio:/dev/null", "client_db off", "forwarded_for delete", "via off",
      "http_access deny !authenticated", "http_access deny manager", "http_access deny to_localhost", "http_access deny internal_dst",
      "http_access deny node_self", "acl node_self dst 198.51.100.7", "http_access deny CONNECT !https_port", "http_access allow authenticated",
      "http_access deny all", "auth_param basic realm proxy", "reply_header_access Server deny all", "reply_header_access X-Squid-Error deny all",
      "error_directory /etc/lifeline/http-errors", "visible_hostname proxy"]) {
      expect(conf).toMatch(new RegExp(`^${line.replace(/[!.]/g, "\\$&")}$`, "m"));
    }
    expect(conf).not.toContain(fixedSecrets.http.password);
    expect(files.get("/etc/lifeline/http-proxy.credentials")).toEqual(
      expect.objectContaining({ content: `${fixedSecrets.http.username} ${fixedSecrets.http.password}\n`, permissions: "0600" }),
    );
    const step = files.get("/usr/local/lib/lifeline/steps/01-http.sh")!.content;
    expect(step).toContain("openssl passwd -6 -stdin");
    expect(step).toContain("rm -f /etc/lifeline/http-proxy.credentials");
  });

  it("stops packages from starting their own daemons until the host step", () => {
    const document = render(nodes[0]!);
    expect(filesOf(document).get("/usr/sbin/policy-rc.d")!.content).toMatch(/^exit 101$/m);
    expect(filesOf(document).get("/usr/local/lib/lifeline/steps/00-host.sh")!.content).toContain("rm -f /usr/sbin/policy-rc.d");
  });

  it("keeps the journal in memory and applies tuning and unattended upgrades", () => {
    const document = render(nodes[0]!);
    const files = filesOf(document);
    expect(files.get("/etc/systemd/journald.conf.d/90-lifeline.conf")!.content).toMatch(/^Storage=volatile$/m);
    expect(files.get("/etc/sysctl.d/90-lifeline.conf")!.content).toMatch(/^net.core.somaxconn = 65535$/m);
    expect(files.get("/etc/apt/apt.conf.d/20auto-upgrades")!.content).toContain('Unattended-Upgrade "1"');
    expect(parse(document).packages).toEqual(expect.arrayContaining(["unattended-upgrades", "nftables", "microsocks"]));
  });

  it("masks SSH when it is off, and installs only the given keys when it is on", () => {
    const off = parse(render(nodes[0]!));
    expect(off.users).toBeUndefined();
    expect(off.ssh_pwauth).toBe(false);
    expect(filesOf(render(nodes[0]!)).get("/usr/local/lib/lifeline/steps/00-host.sh")!.content).toContain("systemctl mask ssh.service ssh.socket");
    const fleet = baseFleet();
    fleet.ssh = { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"] };
    const on = render(planOf(fleet).nodes[0]!);
    expect(parse(on).users.map((u: any) => u.ssh_authorized_keys)).toEqual([["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"]]);
    expect(filesOf(on).get("/etc/nftables.conf")!.content).toMatch(/^    tcp dport 22 accept$/m);
    expect(filesOf(render(nodes[0]!)).get("/etc/nftables.conf")!.content).not.toMatch(/dport 22/);
  });

  it("downloads mtg for the node's architecture, from the mirror when one is set, and checks its sha256", () => {
    const fleet = baseFleet();
    fleet.groups = [{ provider: "aws", regions: ["eu-north-1"], nodesPerRegion: 1, size: "t4g.nano" }];
    fleet.artifactMirror = "http://198.18.0.1:8080/mtg/";
    const step = filesOf(render(planOf(fleet).nodes[0]!)).get("/usr/local/lib/lifeline/steps/01-mtproto.sh")!.content;
    expect(step).toContain(
      `/usr/local/lib/lifeline/fetch-verified 'http://198.18.0.1:8080/mtg/v2.2.8/mtg-2.2.8-linux-arm64.tar.gz' '${mtgRelease.sha256.arm64}' `,
    );
    fleet.relays[0].options = { release: { version: "2.3.0", sha256: { amd64: "a".repeat(64), arm64: "b".repeat(64) } } };
    const newer = filesOf(render(planOf(fleet).nodes[0]!)).get("/usr/local/lib/lifeline/steps/01-mtproto.sh")!.content;
    expect(newer).toContain(`/mtg/v2.3.0/mtg-2.3.0-linux-arm64.tar.gz' '${"b".repeat(64)}' `);
    expect(newer).toContain("install -m 0755 '/var/cache/lifeline/mtg-2.3.0-linux-arm64/mtg' /usr/local/bin/mtg");
    const upstream = filesOf(render(nodes[0]!)).get("/usr/local/lib/lifeline/steps/01-mtproto.sh")!.content;
    expect(upstream).toContain(`'https://github.com/9seconds/mtg/releases/download/v2.2.8/mtg-2.2.8-linux-amd64.tar.gz' '${mtgRelease.sha256.amd64}'`);
  });

  it("writes shell scripts that dash parses", () => {
    const files = filesOf(render(largestNode()));
    const scripts = [...files.entries()].filter(([path]) => path.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const [path, file] of scripts) {
      const check = spawnSync("sh", ["-n"], { input: file.content, encoding: "utf8" });
      expect(check.status, `${path}: ${check.stderr}`).toBe(0);
    }
  });
});
