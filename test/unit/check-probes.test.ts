import { spawn, type ChildProcess } from "node:child_process";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shadowsocksProbe } from "../../src/check/probes/shadowsocks-probe";
import { socks5Probe } from "../../src/check/probes/socks5-probe";
import type { ProbeOptions } from "../../src/check/types";
import { listening, untilListening } from "./support/loopback";

// The probes against real peers on loopback: Debian's ss-server (shadowsocks-libev, the relay
// nodes run) and a port where nothing listens. The other relays' servers run only on booted
// nodes: test/nodes/node-check.test.ts.

const password = "S5sPw0rdAbCdEfGhIjKlMnOpQrStUvWx";
const page = "HTTP answer from the loopback target\n";
let target: Server;
let ssServer: ChildProcess;
let ssPort: number;

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listening(s);
  await new Promise((r) => s.close(r));
  return port;
}

const accessKey = (method: string, pass: string, port: number) => `ss://${Buffer.from(`${method}:${pass}`).toString("base64url")}@127.0.0.1:${port}#fra1-0`;
let options: ProbeOptions;

beforeAll(async () => {
  target = createHttpServer((_req, res) => res.end(page));
  const targetPort = await listening(target);
  options = { target: { host: "127.0.0.1", tunnelPort: targetPort, requestPort: targetPort }, timeoutMs: 3000, allowPrivate: true, unixSeconds: () => 1_764_000_000 };
  ssPort = await freePort();
  ssServer = spawn("ss-server", ["-s", "127.0.0.1", "-p", String(ssPort), "-k", password, "-m", "chacha20-ietf-poly1305"], { stdio: "ignore" });
  await untilListening(ssPort);
});
afterAll(() => {
  ssServer?.kill();
  target?.close();
});

describe("shadowsocks probe against the real ss-server", () => {
  it("passes when the request sealed with the link's password comes back as HTTP from the target", async () => {
    const r = await shadowsocksProbe({ accessKey: accessKey("chacha20-ietf-poly1305", password, ssPort) }, options);
    expect(r.detail).toBe(`request sealed with the link's password reached 127.0.0.1:${options.target.requestPort}; the answer opened with it`);
    expect(r.ok).toBe(true);
    expect(r.port).toBe(ssPort);
    expect(r.connectMs).toBeGreaterThan(0);
  });

  it("fails with a wrong password, and the reason holds no password", async () => {
    const wrong = `x${password.slice(1)}`;
    const r = await shadowsocksProbe({ accessKey: accessKey("chacha20-ietf-poly1305", wrong, ssPort) }, { ...options, timeoutMs: 1500 });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/none comes with a wrong password|does not decrypt/);
    expect(r.detail).not.toContain(wrong);
  });
});

describe("a port where nothing listens", () => {
  it("fails as refused, naming the port", async () => {
    const port = await freePort();
    const r = await socks5Probe({ telegram: `tg://socks?server=127.0.0.1&port=${port}&user=u&pass=p` }, options);
    expect(r).toEqual({ ok: false, port, detail: `connection refused on port ${port}: nothing listens there (relay stopped?)` });
  });
});
