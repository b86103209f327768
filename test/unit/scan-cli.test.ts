import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScanProgram, type ScanIo } from "../../src/cli/scan-command";
import { probeListenerScript } from "../../src/probe/listener-script";
import { repoRoot } from "./support/fixtures";

// The real listener script (as a probe runs it, minus the firewall's redirect) and three
// stand-ins for what a carrier puts in the path, all on loopback.
const token = "Sc4nT0kenAbCdEfGhIjKlMnO";
let work: string;
let listener: ChildProcess;
const servers: Server[] = [];
const ports = { probe: 0, wrongMac: 0, portal: 0, mute: 0, closed: [] as number[] };

function listen(onConnection: (socket: import("node:net").Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => connect({ host: "127.0.0.1", port }).once("connect", function (this: import("node:net").Socket) { this.destroy(); resolve(true); }).once("error", () => resolve(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the probe listener did not start");
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "lifeline-scan-"));
  writeFileSync(join(work, "listener.py"), probeListenerScript);
  ports.probe = await freePort();
  listener = spawn("python3", ["-I", join(work, "listener.py")], { env: { PROBE_TOKEN: token, PROBE_PORT: String(ports.probe) }, stdio: "ignore" });
  await listening(ports.probe);
  const http = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  // A probe with another key: the right shape, the wrong MAC.
  ports.wrongMac = await listen((s) => s.once("data", () => s.end(http("ab".repeat(32)))));
  // A captive portal: answers every request with its own page.
  ports.portal = await listen((s) => s.once("data", () => s.end(http("<html>Please log in</html>"))));
  // A transparent proxy that accepts and then says nothing.
  ports.mute = await listen(() => undefined);
  ports.closed = [await freePort(), await freePort()];
});

afterAll(() => {
  listener?.kill();
  for (const s of servers) s.close();
  rmSync(work, { recursive: true, force: true });
});

function captureIo(): ScanIo & { out: string; err: string } {
  const io = { out: "", err: "", stderrIsTerminal: false, env: {} as Record<string, string>, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const scanned = () => [ports.probe, ports.wrongMac, ports.portal, ports.mute, ...ports.closed].join(",");

describe("lifeline scan against the real listener and stand-in middleboxes on loopback", () => {
  it("counts only the probe's verified answer as open; a wrong MAC, a portal and a mute proxy are intercepted", async () => {
    const io = captureIo();
    const code = await runScanProgram(["127.0.0.1", "--token", token, "--ports", scanned(), "--timeout", "800", "--json", "--no-progress"], io);
    expect(io.err).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(io.out);
    expect(result.open).toEqual([ports.probe]);
    expect(result.intercepted).toEqual([ports.wrongMac, ports.portal, ports.mute].sort((a, b) => a - b));
    expect(result.refused).toEqual([...ports.closed].sort((a, b) => a - b));
    expect(result.openPortsLine).toBe(`openPorts: [${ports.probe}]`);
    expect(io.out).not.toContain(token);
  });

  it("prints progress, the result for a person and the exact openPorts line", async () => {
    const io = captureIo();
    expect(await runScanProgram(["127.0.0.1", "--token", token, "--ports", scanned(), "--timeout", "800"], io)).toBe(0);
    expect(io.err).toMatch(/^sweep +\[#+-*\] \d+% /m);
    expect(io.err).toMatch(/^retest +\[#+\] 100% /m);
    expect(io.out).toContain(`open (the probe answered and proved it): ${ports.probe}\n`);
    expect(io.out).toContain(`\nFor the stack file:\nopenPorts: [${ports.probe}]\n`);
    expect(io.out + io.err).not.toContain(token);
  });

  it("with another stack's token finds nothing open and says to check the token, without printing it", async () => {
    const io = captureIo();
    const other = "0therT0kenAbCdEfGhIjKlMn";
    expect(await runScanProgram(["127.0.0.1", "--token", other, "--ports", String(ports.probe), "--timeout", "800", "--no-progress"], io)).toBe(1);
    expect(io.out).toContain("open (the probe answered and proved it): none");
    expect(io.err).toContain("could not prove the token: check --token");
    expect(io.out + io.err).not.toContain(other);
  });

  it("writes openPorts into a stack file in place, keeping its comments", async () => {
    const stack = join(work, "Pulumi.test.yaml");
    writeFileSync(stack, "# my stack\nconfig:\n  lifeline:fleet:\n    volunteer: aigerim # me\n    # ports the organizers gave us\n    openPorts: [443] # old\n    budgetPerDay: 5\n");
    const io = captureIo();
    expect(await runScanProgram(["127.0.0.1", "--token", token, "--ports", `${ports.probe},${ports.closed[0]}`, "--timeout", "800", "--no-progress", "--write-stack", stack], io)).toBe(0);
    expect(readFileSync(stack, "utf8")).toBe(
      `# my stack\nconfig:\n  lifeline:fleet:\n    volunteer: aigerim # me\n    # ports the organizers gave us\n    openPorts: [ ${ports.probe} ] # old\n    budgetPerDay: 5\n`,
    );
    expect(io.err).toContain(`set openPorts in ${stack} to [${ports.probe}]`);
  });
});

describe("the one-file scanner (npm run build)", () => {
  it("runs with plain Node from a folder with nothing installed, and finds the probe", async () => {
    const { buildScanner } = await import("../../scripts/build-scan.cjs");
    const alone = mkdtempSync(join(tmpdir(), "lifeline-scan-alone-"));
    try {
      const { cli } = await buildScanner(alone);
      const r = spawnSync(process.execPath, [cli, "127.0.0.1", "--token", token, "--ports", `${ports.probe},${ports.portal}`, "--timeout", "800", "--json"], { cwd: alone, encoding: "utf8", env: { PATH: process.env.PATH } });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ open: [ports.probe], intercepted: [ports.portal] });
      expect(readFileSync(cli, "utf8")).not.toMatch(/require\("(commander|yaml|@noble\/hashes[^"]*)"\)/);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });
});

describe("lifeline scan's bad input, through the package's command", () => {
  const scan = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, "bin/lifeline.js"), "scan", ...args], { encoding: "utf8", env: { ...process.env, LIFELINE_PROBE_TOKEN: "" } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it.each([
    [["probe.example", "--token", token], /"probe\.example" is not an IP address: give the probe's address/],
    [["127.0.0.1", "--token", "short"], /that is not a probe token: a token is 24 letters and digits \(this one has 5 characters\)/],
    [["127.0.0.1"], /give the probe token: --token <token>/],
    [["127.0.0.1", "--token", token, "--ports", "80-70000"], /--ports "80-70000": ports go from 1 to 65535/],
    [["127.0.0.1", "--token", token, "--rate", "fast"], /--rate must be a whole number from 1 to 20000/],
  ])("%j gets a plain message and exit code 2, no stack trace", (args, message) => {
    const { code, out, err } = scan(...args);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).toBe("");
    expect(code).toBe(2);
  });
});
