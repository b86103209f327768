import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchVerifiedFile } from "../../src/cloudinit/fetch-verified";

// The node's download-and-verify step, run with the real python3 (as on a node) against an HTTP
// server on loopback.
const artifact = Buffer.from("pretend this is an mtg release tarball\n".repeat(5000));
const sha256 = createHash("sha256").update(artifact).digest("hex");

let dir: string;
let script: string;
let server: Server;
let base: string;
const hits = new Map<string, number>();

function serve(path: string, res: import("node:http").ServerResponse): void {
  hits.set(path, (hits.get(path) ?? 0) + 1);
  if (path === "/release.tar.gz") {
    res.writeHead(200, { "content-length": artifact.length }).end(artifact);
  } else if (path === "/redirected") {
    res.writeHead(302, { location: "/release.tar.gz" }).end();
  } else if (path === "/busy-once") {
    if (hits.get(path) === 1) res.writeHead(503).end();
    else res.writeHead(200, { "content-length": artifact.length }).end(artifact);
  } else if (path === "/truncated") {
    // Promises the whole artifact, sends half, and hangs up.
    res.writeHead(200, { "content-length": artifact.length });
    res.write(artifact.subarray(0, artifact.length / 2), () => res.socket?.destroy());
  } else {
    res.writeHead(404).end();
  }
}

function fetchVerified(url: string, expected: string, dest: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(script, [url, expected, dest], { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

/** DEST's folder holds nothing but what is expected: no temporary file left behind. */
const leftovers = (folder: string) => readdirSync(folder).filter((f) => f !== "kept");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lifeline-fetch-"));
  script = join(dir, "fetch-verified");
  writeFileSync(script, fetchVerifiedFile().content);
  chmodSync(script, 0o755);
  server = createServer((req, res) => serve(req.url ?? "/", res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("fetch-verified (python3, as on the node)", () => {
  it("keeps a download whose sha256 matches, following a redirect, in a folder it creates", async () => {
    const dest = join(dir, "ok", "release.tar.gz");
    const r = await fetchVerified(`${base}/redirected`, sha256, dest);
    expect(r).toEqual({ code: 0, stderr: "" });
    expect(readFileSync(dest).equals(artifact)).toBe(true);
    expect(readdirSync(join(dir, "ok"))).toEqual(["release.tar.gz"]);
  });

  it("refuses a download whose sha256 differs, says so, and leaves nothing at DEST", async () => {
    const folder = join(dir, "mismatch");
    const other = "0".repeat(64);
    const r = await fetchVerified(`${base}/release.tar.gz`, other, join(folder, "release.tar.gz"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lifeline: checksum mismatch for ${base}/release.tar.gz: expected ${other}, got ${sha256}\n`);
    expect(leftovers(folder)).toEqual([]);
  });

  it("retries a busy server (503) and then keeps the download", async () => {
    const dest = join(dir, "busy", "release.tar.gz");
    expect(await fetchVerified(`${base}/busy-once`, sha256, dest)).toEqual({ code: 0, stderr: "" });
    expect(hits.get("/busy-once")).toBe(2);
    expect(readFileSync(dest).equals(artifact)).toBe(true);
  });

  it("does not retry a missing file (404), and says which URL failed", async () => {
    const folder = join(dir, "missing");
    const r = await fetchVerified(`${base}/nothing-here`, sha256, join(folder, "release.tar.gz"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lifeline: download failed for ${base}/nothing-here: HTTP 404 (attempt 1 of 5)\n`);
    expect(hits.get("/nothing-here")).toBe(1);
    expect(leftovers(folder)).toEqual([]);
  });

  it("retries a truncated download five times, then fails with no partial file at DEST", async () => {
    const folder = join(dir, "truncated");
    const r = await fetchVerified(`${base}/truncated`, sha256, join(folder, "release.tar.gz"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lifeline: download failed for http:\/\/127\.0\.0\.1:\d+\/truncated: .+ \(attempt 5 of 5\)\n$/);
    expect(hits.get("/truncated")).toBe(5);
    expect(leftovers(folder)).toEqual([]);
    expect(existsSync(join(folder, "release.tar.gz"))).toBe(false);
  });

  it("retries a refused connection until the server is up", async () => {
    const late = createServer((_req, res) => res.writeHead(200, { "content-length": artifact.length }).end(artifact));
    await new Promise<void>((r) => late.listen(0, "127.0.0.1", r));
    const port = (late.address() as AddressInfo).port;
    await new Promise<void>((r) => late.close(() => r()));
    // Nothing listens on the port now; it comes up while the script waits between attempts.
    const result = fetchVerified(`http://127.0.0.1:${port}/release.tar.gz`, sha256, join(dir, "late", "release.tar.gz"));
    await new Promise((r) => setTimeout(r, 1000));
    await new Promise<void>((r) => late.listen(port, "127.0.0.1", r));
    try {
      expect(await result).toEqual({ code: 0, stderr: "" });
      expect(readFileSync(join(dir, "late", "release.tar.gz")).equals(artifact)).toBe(true);
    } finally {
      late.close();
    }
  });
});
