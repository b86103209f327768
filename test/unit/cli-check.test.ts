import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixedSecrets } from "./support/fixtures";
import { runCli } from "./support/plan-cli";

// `lifeline check` from the command line: its input errors, and its verdict on links whose
// ports on loopback have nothing behind them (real refusals). Real relays: node-check.test.ts.
const work = mkdtempSync(join(tmpdir(), "lifeline-check-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function closedPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    ports.push((s.address() as AddressInfo).port);
    await new Promise((r) => s.close(r));
  }
  return ports;
}

function outputs(ports: number[]): string {
  const [mt, socks, http, ss] = ports;
  const { socks5, http: web, shadowsocks, mtproto } = fixedSecrets;
  const links = {
    mtproto: {
      transport: "encrypted",
      telegram: `tg://proxy?server=127.0.0.1&port=${mt}&secret=ee${mtproto.key}7777772e636c6f7564666c6172652e636f6d`,
      telegramWeb: `https://t.me/proxy?server=127.0.0.1&port=${mt}&secret=ee${mtproto.key}7777772e636c6f7564666c6172652e636f6d`,
    },
    socks5: {
      transport: "plaintext",
      warning: "plaintext",
      telegram: `tg://socks?server=127.0.0.1&port=${socks}&user=${socks5.username}&pass=${socks5.password}`,
      telegramWeb: `https://t.me/socks?server=127.0.0.1&port=${socks}&user=${socks5.username}&pass=${socks5.password}`,
    },
    http: { transport: "plaintext", warning: "plaintext", host: "127.0.0.1", port: String(http), user: web.username, password: web.password },
    shadowsocks: { transport: "private-link", accessKey: `ss://${Buffer.from(`chacha20-ietf-poly1305:${shadowsocks.password}`).toString("base64url")}@127.0.0.1:${ss}#fra1-0` },
  };
  const path = join(work, `outputs-${ports.join("-")}.json`);
  writeFileSync(path, JSON.stringify({ nodes: [{ name: "do-fra1-0", provider: "digitalocean", region: "fra1", size: "s-1vcpu-512mb-10gb", address: "127.0.0.1", links }] }));
  return path;
}

const secretValues = Object.values(fixedSecrets).flatMap((s) => Object.values(s));

describe("lifeline check (command line)", () => {
  it("fails every link whose port refuses, exits 1, and prints a table with progress but no secret", async () => {
    const ports = await closedPorts(4);
    const r = runCli("check", "--outputs", outputs(ports), "--target", "127.0.0.1", "--timeout", "2", "--allow-private");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("checking 4 links of 1 nodes (target 127.0.0.1, 2 s each)");
    expect(r.stderr).toMatch(/\[4\/4\] do-fra1-0 \w+: FAILED/);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NODE\s+ADDRESS\s+RELAY\s+PORT\s+STATUS\s+LATENCY\s+HANDSHAKE\s+DETAIL$/);
    ["mtproto", "socks5", "http", "shadowsocks"].forEach((relay, i) => {
      expect(lines[i + 1]).toMatch(new RegExp(`^do-fra1-0\\s+127\\.0\\.0\\.1\\s+${relay}\\s+${ports[i]}\\s+FAILED\\s+-\\s+-\\s+connection refused on port ${ports[i]}`));
    });
    expect(r.stdout).toContain("4 of 4 links FAILED");
    for (const secret of secretValues) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it("prints JSON with --json", async () => {
    const ports = await closedPorts(4);
    const r = runCli("check", "--outputs", outputs(ports), "--target", "127.0.0.1", "--timeout", "2", "--allow-private", "--json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ checked: 4, healthy: 0, failed: 4 });
    expect(json.links[1]).toEqual({
      source: expect.stringContaining("outputs-"),
      node: "do-fra1-0",
      address: "127.0.0.1",
      relay: "socks5",
      transport: "plaintext",
      port: ports[1],
      status: "failed",
      latencyMs: null,
      handshakeMs: null,
      detail: `connection refused on port ${ports[1]}: nothing listens there (relay stopped?)`,
    });
    expect(json.links.map((l: { relay: string; transport: string }) => `${l.relay} ${l.transport}`)).toEqual([
      "mtproto encrypted", "socks5 plaintext", "http plaintext", "shadowsocks private-link",
    ]);
  });

  it.each([
    [[], 2, "give either --outputs FILE..."],
    [["--outputs", "a.json", "--stacks", "a"], 2, "give either --outputs FILE..."],
    [["--stacks", " , "], 2, "--stacks needs stack names separated by commas"],
    [["--outputs", "a.json", "--timeout", "0"], 2, '--timeout must be a number from 1 to 120, not "0"'],
    [["--outputs", "a.json", "--concurrency", "x"], 2, '--concurrency must be a whole number from 1 to 256, not "x"'],
    [["--outputs", "a.json", "--target", "http://x/"], 2, '--target must be a host name or IPv4 address, e.g. --target example.com, not "http://x/"'],
    [["--outputs", join(tmpdir(), "no-such-lifeline-outputs.json")], 1, "no-such-lifeline-outputs.json: no such file"],
  ])("refuses bad input %j plainly (exit %i)", (args, code, message) => {
    const r = runCli("check", ...(args as string[]));
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
