import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetNode } from "../../src/fleet-input/types";
import { nodesInText } from "../../src/inside/found-links";
import { decodeReport, nodeTag } from "../../src/inside/report-code";
import { nodeCard } from "../../src/share/node-card";
import { listening, untilListening } from "./support/loopback";
import { runCli } from "./support/plan-cli";

// The one-file build, run by plain Node from an empty folder, on a share page made by `share`'s
// own node cards: a real ss-server that works, a port where nothing listens, and a port that
// accepts and hangs up (what a censor's reset looks like).
const password = "InS1dePw0rdAbCdEfGhIjKlMnOpQrStUv";
const targetHost = "127.77.0.9"; // the target's HTTP port must be 80, as check uses; a loopback address of our own
let work: string;
let target: Server;
let ssServer: ChildProcess;
let ssPort: number;
let closedPort: number;
let resetter: NetServer;
let resetPort: number;

/** Runs node in the work folder without blocking this process, which serves the peers. */
function runNode(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: work });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listening(s);
  await new Promise((r) => s.close(r));
  return port;
}

const ssLink = (port: number) => `ss://${Buffer.from(`chacha20-ietf-poly1305:${password}`).toString("base64url")}@127.0.0.1:${port}#fra1-0`;
const mtLink = (host: string, port: number) => `server=${host}&port=${port}&secret=ee0123456789abcdef0123456789abcdef6578616d706c652e636f6d`;

function sharePage(): string {
  const nodes = [
    { source: "s", name: "do-fra1-0", provider: "digitalocean", region: "fra1", address: "127.0.0.1", relays: [{ kind: "shadowsocks", transport: "encrypted", accessKey: ssLink(ssPort) }] },
    {
      source: "s",
      name: "do-fra1-1",
      provider: "digitalocean",
      region: "fra1",
      address: "127.0.0.2",
      relays: [
        { kind: "mtproto", transport: "encrypted", telegram: `tg://proxy?${mtLink("127.0.0.2", closedPort)}`, telegramWeb: `https://t.me/proxy?${mtLink("127.0.0.2", closedPort)}` },
        { kind: "http", transport: "plaintext", host: "127.0.0.2", port: String(resetPort), user: "u", password: "p" },
      ],
    },
  ] as FleetNode[];
  // The HTTP proxy has no link on a page: its fields sit in a table.
  return `<!doctype html>${nodes.map((n, i) => nodeCard({ heading: `Server ${i + 1}`, number: i + 1, relays: n.relays })).join("")}`;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "inside-"));
  target = createHttpServer((_req, res) => res.end("target\n"));
  await new Promise<void>((resolve) => target.listen(80, targetHost, resolve));
  ssPort = await freePort();
  ssServer = spawn("ss-server", ["-s", "127.0.0.1", "-p", String(ssPort), "-k", password, "-m", "chacha20-ietf-poly1305"], { stdio: "ignore" });
  await untilListening(ssPort);
  closedPort = await freePort();
  resetter = createServer((socket) => socket.destroy());
  resetPort = await new Promise<number>((resolve) => resetter.listen(0, "127.0.0.2", () => resolve((resetter.address() as { port: number }).port)));
  const { buildInside } = await import("../../scripts/build-scan.cjs");
  copyFileSync(await buildInside(join(work, "build")), join(work, "lifeline-inside.js"));
}, 60_000);
afterAll(() => {
  ssServer?.kill();
  target?.close();
  resetter?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("finding links", () => {
  it("reads a share page, a subscription and a message alike, one relay once, grouped by node address", () => {
    const links = [`https://t.me/proxy?${mtLink("10.1.1.1", 443)}`, `tg://proxy?${mtLink("10.1.1.1", 443)}`, ssLink(8388).replace("127.0.0.1", "10.1.1.2"), "socks5h://u%40x:p@10.1.1.1:1080", "https://user:pw@10.1.1.2:8443"];
    const message = `Сервер 1\nTelegram: ${links[0]}.\n${links.slice(1).join("\n")}\n`;
    const subscription = Buffer.from(links.join("\n")).toString("base64");
    const page = `<a href="${links[0]!.replace(/&/g, "&amp;")}">x</a><code>${links.slice(1).join("</code><code>").replace(/&/g, "&amp;")}</code>`;
    for (const text of [message, subscription, page]) {
      const nodes = nodesInText(text);
      expect(nodes.map((n) => [n.host, n.relays.map((r) => `${r.kind}:${r.port}`)])).toEqual([
        ["10.1.1.1", ["mtproto:443", "socks5:1080"]],
        ["10.1.1.2", ["shadowsocks:8388", "https:8443"]],
      ]);
      expect(nodes[0]!.relays[1]!.fields["telegram"]).toBe("tg://socks?server=10.1.1.1&port=1080&user=u%40x&pass=p");
      expect(nodes[1]!.relays[1]!.fields).toEqual({ host: "10.1.1.2", port: "8443", user: "user", password: "pw" });
    }
  });

  it("reads a page's browser proxies from their tables, the encrypted one by its PAC file", () => {
    const proxy = { host: "10.2.2.2", user: "u<1>", password: "p&\"2" };
    const node = {
      source: "s",
      name: "do-fra1-0",
      provider: "digitalocean",
      region: "fra1",
      address: "10.2.2.2",
      relays: [
        { kind: "http", transport: "plaintext", ...proxy, port: "8080" },
        { kind: "https", transport: "encrypted", ...proxy, port: "8443", pac: 'function FindProxyForURL(url, host) {\n  return "HTTPS 10.2.2.2:8443";\n}\n' },
      ],
    } as FleetNode;
    const [found] = nodesInText(nodeCard({ heading: "Server 1", number: 1, relays: node.relays }));
    expect(found!.relays.map((r) => [r.kind, r.fields])).toEqual([
      ["http", { host: "10.2.2.2", port: "8080", user: "u<1>", password: 'p&"2' }],
      ["https", { host: "10.2.2.2", port: "8443", user: "u<1>", password: 'p&"2' }],
    ]);
  });

  it("ignores ordinary web links", () => {
    expect(nodesInText("see https://example.com/x and http://example.org:8080/")).toEqual([]);
  });
});

describe("dist/lifeline-inside.js, alone in a folder, run by node", () => {
  it("checks each relay with check's handshake, prints the table in Russian and a code naming no address", async () => {
    writeFileSync(join(work, "page.html"), sharePage());
    const run = await runNode(["lifeline-inside.js", "page.html", "--network", "Beeline", "--target", targetHost, "--timeout", "3", "--allow-private"]);
    expect(run.stderr).toContain("Проверка [########################] 3/3");
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/1 +127\.0\.0\.1:\d+ +shadowsocks +работает +\d+ ms/);
    expect(out).toMatch(/2 +127\.0\.0\.2:\d+ +mtproto +нет соединения +-/);
    expect(out).toMatch(/2 +127\.0\.0\.2:\d+ +http +соединение сорвано/);
    expect(out).toContain("Работают 1 из 2 серверов.");
    const code = out.trim().split("\n").pop()!;
    expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    const report = decodeReport(code);
    expect(report.network).toBe("Beeline");
    expect(report.nodes.map((n) => n.tag)).toEqual([nodeTag(report.salt, "127.0.0.1"), nodeTag(report.salt, "127.0.0.2")]);
    expect(report.nodes.map((n) => n.relays.map((r) => `${r.kind} ${r.status}`))).toEqual([["shadowsocks ok"], ["mtproto no-connection", "http handshake-failed"]]);
    expect(Buffer.from(code, "base64url").toString("latin1")).not.toContain("127.0.0");
  }, 40_000);

  it("says what is wrong with bad arguments or a file without links, and exits 2", () => {
    writeFileSync(join(work, "empty.txt"), "no links here https://example.com/\n");
    const bad = spawnSync(process.execPath, ["lifeline-inside.js", "empty.txt", "--lang", "de"], { cwd: work, encoding: "utf8" });
    expect([bad.status, bad.stderr.split("\n")[0]]).toEqual([2, '--lang must be one of ru, kk, en, not "de"']);
    const none = spawnSync(process.execPath, ["lifeline-inside.js", "empty.txt", "--lang", "en"], { cwd: work, encoding: "utf8" });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("the file holds no server links");
    expect(none.stderr).not.toMatch(/at .*\.js:\d+/);
    // `lifeline inside` is the same program.
    const viaCli = runCli("inside", join(work, "empty.txt"), "--lang", "kk");
    expect([viaCli.code, viaCli.stderr.split("\n")[0]]).toEqual([2, "файлда серверге сілтеме жоқ (tg://, https://t.me/proxy, ss://, vless://, socks5://, http(s)://user:pass@host:port)"]);
  });
});
