import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { nodeLinks } from "../../src/links/node-links";
import { acmeClientScript } from "../../src/relays/https/acme-client-source";
import { relayKind } from "../../src/relays/registry";
import type { PlannedNode } from "../../src/plan/types";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { planOf } from "./support/load";
import { nftCheck } from "./support/nft-check";

const address = "198.51.100.7";

/** mtproto 443, socks5 8080, https 8443 (and http where asked): 80 free unless a relay takes it. */
function httpsFleet(extra: Array<{ kind: string; port: number }> = [], options?: Record<string, unknown>): Record<string, any> {
  const fleet = baseFleet();
  fleet.openPorts = [443, 80, 8443, 8080, 8880];
  fleet.relays = [{ kind: "mtproto", port: 443 }, { kind: "socks5", port: 8080 }, { kind: "https", port: 8443, ...(options ? { options } : {}) }, ...extra];
  return fleet;
}

function rendered(fleet: Record<string, any>): { node: PlannedNode; files: Map<string, string>; document: any } {
  const node = planOf(fleet).nodes[0]!;
  const document = parse(renderCloudConfig({ node, address, secrets: fixedSecrets }));
  return { node, document, files: new Map(document.write_files.map((f: any) => [f.path, f.content])) };
}

const line = (text: string) => new RegExp(`^${text.replace(/[!.+*?()[\]{}$^|\\]/g, "\\$&")}$`, "m");

// Every rule the plaintext http relay has (cloudinit.test.ts), minus its listening line.
const sharedSquidRules = ["access_log none", "cache_log stdio:/dev/null", "client_db off", "forwarded_for delete", "via off",
  "http_access deny !authenticated", "http_access deny manager", "cachemgr_passwd disable all", "http_access deny to_localhost",
  "http_access deny internal_dst", "http_access deny node_self", `acl node_self dst ${address}`, "http_access deny CONNECT !https_port",
  "http_access allow authenticated", "http_access deny all", "auth_param basic realm proxy", "reply_header_access Server deny all",
  "reply_header_access X-Squid-Error deny all", "reply_header_access X-Cache deny all", "visible_hostname proxy", "httpd_suppress_version_string on"];

describe("the https relay", () => {
  it("is squid over TLS with the http relay's rules, the certificate for the node's address, and its own neutral error pages", () => {
    const { files } = rendered(httpsFleet([{ kind: "http", port: 8880 }]));
    const https = files.get("/etc/lifeline/https-proxy.conf")!;
    expect(https).toMatch(line("https_port 8443 tls-cert=/etc/lifeline/https-certificate/current/fullchain.pem tls-key=/etc/lifeline/https-certificate/current/key.pem tls-min-version=1.2"));
    for (const rule of [...sharedSquidRules, "error_directory /etc/lifeline/https-errors"]) expect(https, rule).toMatch(line(rule));
    // One source for both: the files differ only in the listening line and their own paths.
    const http = files.get("/etc/lifeline/http-proxy.conf")!;
    const normalize = (conf: string) =>
      conf.split("\n").filter((l) => !/^(https?_port|max_filedescriptors) /.test(l)).join("\n").replaceAll("https-", "KIND-").replaceAll("http-", "KIND-");
    expect(normalize(https)).toBe(normalize(http));
    // A TLS tunnel costs about twice the memory of a plaintext one: fewer by default (3000 and 8192, two descriptors each).
    expect(https).toMatch(line("max_filedescriptors 6064"));
    expect(http).toMatch(line("max_filedescriptors 16448"));
    expect(https).not.toContain(fixedSecrets.https.password);
    expect(files.get("/etc/lifeline/https-proxy.credentials")).toBe(`${fixedSecrets.https.username} ${fixedSecrets.https.password}\n`);
  });

  it("installs Debian's squid-openssl (which sends the intermediate certificate) for both squid relays, never the GnuTLS squid", () => {
    const { document } = rendered(httpsFleet([{ kind: "http", port: 8880 }]));
    expect(document.packages).toEqual(expect.arrayContaining(["squid-openssl", "openssl", "python3"]));
    expect(document.packages).not.toContain("squid");
  });

  it("runs squid sandboxed like every relay, reloadable in place, and inactive until a certificate exists", () => {
    const { files } = rendered(httpsFleet([{ kind: "http", port: 8880 }]));
    // Two squids on one node: each names its own shared memory (/dev/shm/<kind>-*), or the second cannot start.
    expect(files.get("/etc/systemd/system/lifeline-http.service")).toMatch(line("ExecStart=/usr/sbin/squid -N -n http -f /etc/lifeline/http-proxy.conf"));
    const unit = files.get("/etc/systemd/system/lifeline-https.service")!;
    for (const l of ["User=lifeline-https", "ExecStart=/usr/sbin/squid -N -n https -f /etc/lifeline/https-proxy.conf", "ExecReload=/bin/kill -HUP $MAINPID",
      "ConditionPathExists=/etc/lifeline/https-certificate/current/fullchain.pem", "Requires=nftables.service", "Restart=always", "StandardOutput=null",
      "ProtectSystem=strict", "NoNewPrivileges=yes"]) {
      expect(unit, l).toMatch(line(l));
    }
  });

  it("validates by http-01 on 80 when no relay uses it: the cloud firewall opens 80, the node only while the client runs", () => {
    const { node, files } = rendered(httpsFleet());
    expect(node.validationTcpPorts).toEqual([80]);
    expect(node.openTcpPorts).toEqual([443, 8080, 8443]);
    expect(JSON.parse(files.get("/etc/lifeline/https-certificate.json")!)).toEqual({
      directory: "https://acme-v02.api.letsencrypt.org/directory", address, profile: "shortlived", challenge: "http-01", port: 80,
    });
    const service = files.get("/etc/systemd/system/lifeline-https-certificate.service")!;
    const client = (command: string) => `/usr/bin/python3 /usr/local/lib/lifeline/acme_client.py ${command} /etc/lifeline/https-certificate.json`;
    // Port 80 opens for the answer step only: not while the account and order are made, nor after.
    expect(service.split("\n").filter((l) => /^Exec(Condition|Start|StartPost|StopPost)=/.test(l))).toEqual([
      `ExecCondition=${client("due")}`,
      `ExecStart=${client("order")}`,
      "ExecStart=+/usr/sbin/nft add element inet lifeline validation_ports { 80 }",
      `ExecStart=${client("answer")}`,
      "ExecStart=-+/usr/sbin/nft delete element inet lifeline validation_ports { 80 }",
      `ExecStart=${client("finish")}`,
      "ExecStartPost=+/usr/local/lib/lifeline/install-https-certificate.sh",
      "ExecStopPost=-+/usr/sbin/nft delete element inet lifeline validation_ports { 80 }",
    ]);
    for (const l of [
      "User=lifeline-acme", "StateDirectory=lifeline-acme", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
      "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateDevices=yes", "MemoryDenyWriteExecute=yes", "SystemCallFilter=@system-service",
      "TasksMax=16",
    ]) {
      expect(service, l).toMatch(line(l));
    }
    // Never the metadata service, loopback or internal networks, whatever the node firewall does.
    const denied = /^IPAddressDeny=(.*)$/m.exec(service)?.[1]?.split(" ") ?? [];
    expect(denied).toEqual(expect.arrayContaining(["169.254.0.0/16", "127.0.0.0/8", "10.0.0.0/8", "::1/128", "fe80::/10"]));
    expect(service).not.toMatch(/^IPAddressAllow=/m);
    const ruleset = files.get("/etc/nftables.conf")!;
    expect(ruleset).toMatch(/^  set validation_ports \{ type inet_service; \}/m);
    expect(ruleset).toMatch(line("    tcp dport @validation_ports accept"));
    expect(ruleset).toContain("tcp dport { 443, 8080, 8443 } accept");
    expect(nftCheck(ruleset)).toEqual({ valid: true, output: "" });
  });

  it("validates by tls-alpn-01 on 443 when a relay uses 80", () => {
    const fleet = httpsFleet();
    fleet.relays[0].port = 80;
    const { node, files } = rendered(fleet);
    expect(node.validationTcpPorts).toEqual([443]);
    expect(JSON.parse(files.get("/etc/lifeline/https-certificate.json")!)).toMatchObject({ challenge: "tls-alpn-01", port: 443 });
    expect(files.get("/etc/systemd/system/lifeline-https-certificate.service")).toContain("validation_ports { 443 }");
    expect(files.has("/usr/local/lib/lifeline/borrow-validation-port.nft")).toBe(false);
  });

  it("borrows port 80 from its relay for the seconds of a validation when relays use both 80 and 443", () => {
    const both = httpsFleet([{ kind: "http", port: 80 }]);
    const { node, files } = rendered(both);
    expect(node.validationTcpPorts).toEqual([80]);
    // The client listens on a port no relay uses; only the redirect, only while validating, leads there.
    expect(JSON.parse(files.get("/etc/lifeline/https-certificate.json")!)).toMatchObject({ challenge: "http-01", port: 8402 });
    const unit = files.get("/etc/systemd/system/lifeline-https-certificate.service")!;
    const execs = unit.split("\n").filter((l) => /^Exec(Start|StopPost)=/.test(l));
    // The redirect is made right before the answer step and removed right after it.
    const answer = execs.findIndex((l) => / answer /.test(l));
    expect(execs.slice(answer - 2, answer + 3)).toEqual([
      "ExecStart=+/usr/sbin/nft add element inet lifeline validation_ports { 8402 }",
      "ExecStart=+/usr/sbin/nft -f /usr/local/lib/lifeline/borrow-validation-port.nft",
      execs[answer],
      "ExecStart=-+/usr/sbin/nft delete element inet lifeline validation_ports { 8402 }",
      "ExecStart=-+/usr/sbin/nft delete table inet lifeline_validation",
    ]);
    expect(execs[answer - 3]).toMatch(/ order /);
    expect(execs[answer + 3]).toMatch(/ finish /);
    for (const l of ["ExecStopPost=-+/usr/sbin/nft delete element inet lifeline validation_ports { 8402 }", "ExecStopPost=-+/usr/sbin/nft delete table inet lifeline_validation"]) {
      expect(unit, l).toMatch(line(l));
    }
    const borrow = files.get("/usr/local/lib/lifeline/borrow-validation-port.nft")!;
    expect(borrow).toMatch(line("    tcp dport 80 redirect to :8402"));
    expect(nftCheck(borrow)).toEqual({ valid: true, output: "" });
    // A relay already on 8402 pushes the client to the next free port.
    const taken = httpsFleet([{ kind: "http", port: 80 }]);
    taken.openPorts.push(8402);
    taken.relays[1].port = 8402;
    expect(JSON.parse(rendered(taken).files.get("/etc/lifeline/https-certificate.json")!)).toMatchObject({ port: 8403 });
  });

  it("leaves nodes without an https relay as they were: no validation port, no set", () => {
    const { node, files } = rendered(baseFleet());
    expect(node.validationTcpPorts).toEqual([]);
    expect(files.get("/etc/nftables.conf")).not.toContain("validation_ports");
  });

  it("gets the first certificate at first boot, with retries, and checks hourly for a due renewal", () => {
    const { files } = rendered(httpsFleet());
    const step = files.get("/usr/local/lib/lifeline/steps/03-https.sh")!;
    const order = ["useradd --system --uid 64120", "systemctl enable lifeline-https.service lifeline-https-certificate.timer",
      "systemctl start lifeline-https-certificate.timer", "until systemctl start lifeline-https-certificate.service; do", "systemctl restart lifeline-https.service"];
    const at = order.map((text) => step.indexOf(text));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(step).toMatch(/if \[ "\$n" -ge 3 \]; then .*exit 1; fi/);
    const timer = files.get("/etc/systemd/system/lifeline-https-certificate.timer")!;
    expect(timer).toMatch(line("OnCalendar=hourly"));
    expect(timer).toMatch(line("WantedBy=timers.target"));
    const install = files.get("/usr/local/lib/lifeline/install-https-certificate.sh")!;
    expect(install).toContain("umask 022");
    expect(install).toContain('install -m 0640 -o root -g lifeline-https "$from/key.pem"');
    expect(install).toContain('mv -T "$to/current.new" "$to/current"');
    // Running: a reload, with new connections' SYNs dropped (not refused) while squid re-opens its port.
    const reload = ["trap unblock EXIT", `nft insert rule inet lifeline input tcp dport 8443 ct state new drop comment '"certificate reload"'`, "systemctl reload lifeline-https.service"];
    const reloadAt = reload.map((text) => install.indexOf(text));
    expect(reloadAt.every((i) => i > install.indexOf("systemctl start lifeline-https.service")), JSON.stringify(reloadAt)).toBe(true);
    expect([...reloadAt].sort((a, b) => a - b)).toEqual(reloadAt);
    expect(spawnSync("sh", ["-n"], { input: install }).status).toBe(0);
  });

  it("ships the ACME client without comments, compiling under python3, and points the config at the chosen directory", () => {
    const { files } = rendered(httpsFleet([], { acmeDirectory: "https://acme-staging-v02.api.letsencrypt.org/directory" }));
    expect(files.get("/usr/local/lib/lifeline/acme_client.py")).toBe(acmeClientScript);
    expect(acmeClientScript.split("\n").slice(2).filter((l) => /^\s*#/.test(l) || l.includes('"""'))).toEqual([]);
    const compiled = spawnSync("/usr/bin/python3", ["-c", "import sys; compile(sys.stdin.read(), 'acme_client.py', 'exec')"], { input: acmeClientScript, encoding: "utf8" });
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(JSON.parse(files.get("/etc/lifeline/https-certificate.json")!).directory).toBe("https://acme-staging-v02.api.letsencrypt.org/directory");
  });

  it("links: https:// URL, host, port, user, password and a PAC returning HTTPS ip:port, marked encrypted", () => {
    const node = planOf(httpsFleet()).nodes[0]!;
    const links = nodeLinks(node, address, fixedSecrets)["https"]!;
    const { username, password } = fixedSecrets.https;
    expect(links).toEqual({
      url: `https://${username}:${password}@${address}:8443`,
      host: address,
      port: "8443",
      user: username,
      password,
      pac: `function FindProxyForURL(url, host) {\n  return "HTTPS ${address}:8443";\n}\n`,
      transport: "encrypted",
    });
  });

  it("tells the plan which CA it asks and where it validates", () => {
    const https = relayKind("https");
    const note = https.planNotes!(https.optionsSchema.parse({ acmeDirectory: "https://acme-staging-v02.api.letsencrypt.org/directory" }));
    expect(note.join("\n")).toMatch(/Let's Encrypt staging \(browsers will not trust these certificates: for a first run only\), profile shortlived/);
    expect(https.planNotes!(https.optionsSchema.parse({})).join("\n")).toMatch(/from Let's Encrypt, profile shortlived.*port 80/);
  });
});

describe("service users", () => {
  it("gives every lifeline service its own uid: relays, the ACME client and the probe listener", async () => {
    const { relayKinds } = await import("../../src/relays/registry");
    const { acmeUser } = await import("../../src/relays/https/certificate-files");
    const { probeUser } = await import("../../src/cloudinit/probe-role");
    const users = [...relayKinds.map((r) => r.user), acmeUser, probeUser];
    expect(new Set(users.map((u) => u.uid)).size, JSON.stringify(users)).toBe(users.length);
    expect(new Set(users.map((u) => u.name)).size).toBe(users.length);
  });
});
