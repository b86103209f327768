import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopbackOutputs } from "./support/check-outputs";
import { fixedSecrets, repoRoot } from "./support/fixtures";

// `lifeline check` when something else answers on the relays' ports: a captive portal on
// loopback that answers every connection with a redirect to its login page, as hotel and
// airport networks do. The CLI runs as its own process (the portal answers from this one).
const work = mkdtempSync(join(tmpdir(), "lifeline-check-portal-"));
let portal: Server;
let port: number;

beforeAll(async () => {
  portal = createServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", () => socket.end("HTTP/1.1 302 Found\r\nLocation: http://login.portal.example/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
  });
  await new Promise<void>((r) => portal.listen(0, "127.0.0.1", () => r()));
  port = (portal.address() as AddressInfo).port;
});
afterAll(() => {
  portal.close();
  rmSync(work, { recursive: true, force: true });
});

/** Every relay link of one node points at the portal. */
const outputsBehindPortal = () => loopbackOutputs(work, "outputs", [port, port, port, port]);

function check(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(repoRoot, "bin/lifeline.js"), ["check", "--allow-private", ...args], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("lifeline check when something else answers", () => {
  it("says a captive portal answered instead of the relays, and that a pass from outside proves nothing inside", async () => {
    const r = await check("--outputs", outputsBehindPortal(), "--target", "127.0.0.1", "--timeout", "5");
    expect(r.code).toBe(1);
    const row = (relay: string) => r.stdout.split("\n").find((l) => new RegExp(`^do-fra1-0\\s+127\\.0\\.0\\.1\\s+${relay}\\s`).test(l)) ?? "";
    expect(row("mtproto")).toMatch(/FAILED.*the port does not answer as TLS$/);
    expect(row("socks5")).toMatch(/FAILED.*the port does not speak SOCKS5$/);
    expect(row("http")).toMatch(/FAILED.*CONNECT was answered with a redirect \(302\): a captive portal, not the relay$/);
    expect(row("shadowsocks")).toMatch(/FAILED.*the port answered in the clear \(HTTP or TLS\), not as a Shadowsocks relay/);
    expect(r.stdout).toContain(
      "something else answered instead of the relay on 4 links (do-fra1-0 mtproto, do-fra1-0 socks5, do-fra1-0 http, do-fra1-0 shadowsocks): " +
        "a transparent proxy, a captive portal or a filtering firewall on this machine's network",
    );
    expect(r.stdout).toContain("note: this checks the links from this machine's network only. A pass here does not prove a node works from inside the country");
    const json = await check("--outputs", outputsBehindPortal(), "--target", "127.0.0.1", "--timeout", "5", "--json");
    const parsed = JSON.parse(json.stdout);
    expect(parsed.links.map((l: { somethingElseAnswered: boolean }) => l.somethingElseAnswered)).toEqual([true, true, true, true]);
    expect(json.stderr).toContain("something else answered instead of the relay on 4 links");
  });

  it("does not blame something else for a port where nothing listens, and still reminds", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const path = join(work, "closed.json");
    const { http } = fixedSecrets;
    writeFileSync(path, JSON.stringify({ nodes: [{ name: "do-fra1-0", provider: "digitalocean", region: "fra1", address: "127.0.0.1", links: { http: { transport: "plaintext", warning: "plaintext", host: "127.0.0.1", port: String(free), user: http.username, password: http.password } } }] }));
    const r = await check("--outputs", path, "--target", "127.0.0.1", "--timeout", "3");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("something else answered");
    expect(r.stdout).toContain("A pass here does not prove a node works from inside the country");
  });
});
