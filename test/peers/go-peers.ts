import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { withFileLock } from "../nodes/harness/file-lock";

/**
 * A relay server the tests run for real, built from its upstream tagged Go module. The module
 * proxy serves these tags; `go install mod@tag` is refused for some of them (mtg 2.2.8: its
 * `@v/list` answers 403), so every peer is built the same way: `go get` into a throwaway module,
 * then `go build` of the package.
 */
export interface GoPeer {
  /** File name of the cached binary, without version. */
  name: string;
  module: string;
  /** The module tag, e.g. `v2.2.8`. */
  version: string;
  /** The main package to build, inside `module`. */
  pkg: string;
  /**
   * Linker flags upstream's own release build passes (its `.goreleaser.yml`), so the binary
   * reports itself as the release does. Part of the cache name: a change rebuilds.
   */
  ldflags?: string;
}

/** mtg's release build sets `main.version` (without the tag's `v`); otherwise `mtg --version` says `dev`. */
export const mtgPeer: GoPeer = {
  name: "mtg",
  module: "github.com/9seconds/mtg/v2",
  version: "v2.2.8",
  pkg: "github.com/9seconds/mtg/v2",
  ldflags: "-s -w -X main.version=2.2.8",
};
/** Xray-core's tags are v1.YYMMDD.0; v1.260327.0 is release 26.3.27, the newest the proxy serves. */
export const xrayPeer: GoPeer = { name: "xray", module: "github.com/xtls/xray-core", version: "v1.260327.0", pkg: "github.com/xtls/xray-core/main" };

/**
 * versitygw: an S3 gateway (Apache-2.0) over a plain folder (its posix backend). It checks every
 * request's SigV4 signature and honours bucket policies, so a test can let strangers GET objects
 * while refusing them the listing, as the share stack's buckets do.
 */
export const versitygwPeer: GoPeer = { name: "versitygw", module: "github.com/versity/versitygw", version: "v1.8.0", pkg: "github.com/versity/versitygw/cmd/versitygw" };

/** Built binaries survive between runs here; CI can point it at a persistent volume. */
export function goPeerCacheDir(): string {
  return process.env["LIFELINE_PEER_CACHE"] ?? "/var/cache/lifeline/go-peers";
}

/** The `go` tool: on PATH, or where the machine's Go lives when a CI shell did not add it. */
function goBinary(): string {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) if (dir && existsSync(join(dir, "go"))) return join(dir, "go");
  if (existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error("the Go toolchain is missing: install Go 1.26 (the relay peers are built from their tagged modules)");
}

/** Path of the cached binary for `peer`, building it first if no run has yet. */
export async function buildGoPeer(peer: GoPeer): Promise<string> {
  const cache = goPeerCacheDir();
  mkdirSync(cache, { recursive: true });
  const flavour = peer.ldflags ? `-${createHash("sha256").update(peer.ldflags).digest("hex").slice(0, 8)}` : "";
  const binary = join(cache, `${peer.name}-${peer.version}${flavour}`);
  if (existsSync(binary)) return binary;
  return withFileLock(`${binary}.lock`, 30 * 60_000, async () => {
    if (existsSync(binary)) return binary;
    const work = mkdtempSync(join(tmpdir(), `peer-${peer.name}-`));
    try {
      const go = goBinary();
      const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
      const run = (args: string[]) => execFileSync(go, args, { cwd: work, env, stdio: ["ignore", "ignore", "pipe"] });
      run(["mod", "init", "lifeline.test/peerbuild"]);
      run(["get", `${peer.module}@${peer.version}`]);
      // -trimpath: a binary that does not carry this machine's paths; written aside, then renamed,
      // so a crash never leaves a half-written binary in the cache.
      run(["build", "-trimpath", ...(peer.ldflags ? ["-ldflags", peer.ldflags] : []), "-o", `${binary}.partial`, peer.pkg]);
      renameSync(`${binary}.partial`, binary);
      return binary;
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? "";
      throw new Error(`building ${peer.module}@${peer.version} failed: ${stderr.trim() || String(e)}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
