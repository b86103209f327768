import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildGoPeer, mtgPeer } from "../../peers/go-peers";

/** The mtg the node tests run: the production pin, built from its tagged Go module. */
export const mtgPeerVersion = mtgPeer.version.replace(/^v/, "");
const arch = "amd64";
const assetDir = `mtg-${mtgPeerVersion}-linux-${arch}`;
const assetName = `${assetDir}.tar.gz`;

export interface PublishedRelease {
  /** A folder laid out like upstream's release page: `v<ver>/mtg-<ver>-linux-amd64.tar.gz`. */
  mirrorDir: string;
  /** Path of the tarball inside `mirrorDir`. */
  tarball: string;
  /** Of the tarball, computed here: what the stack's `release` option pins. */
  sha256: string;
}

/**
 * Puts the mtg peer on a mirror folder as upstream's goreleaser packs a release: a gzipped tar
 * wrapping `mtg-<ver>-linux-<arch>/mtg`, under `v<ver>/`. The node unpacks it the same way as
 * the real asset (src/relays/mtproto/index.ts), so the test also proves that layout.
 */
export async function publishMtgPeer(workDir: string): Promise<PublishedRelease> {
  const binary = await buildGoPeer(mtgPeer);
  const staging = mkdtempSync(join(workDir, "mtg-asset-"));
  const mirrorDir = join(workDir, "mirror");
  const tarball = join(mirrorDir, `v${mtgPeerVersion}`, assetName);
  try {
    mkdirSync(join(staging, assetDir));
    copyFileSync(binary, join(staging, assetDir, "mtg"));
    mkdirSync(join(mirrorDir, `v${mtgPeerVersion}`), { recursive: true });
    // Fixed owner and time: the same binary always gives the same tarball (and sha256).
    execFileSync("tar", ["--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--mode=go-w", "-czf", tarball, "-C", staging, assetDir]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const sha256 = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  return { mirrorDir, tarball, sha256 };
}

/** Flips one byte in the middle of the tarball: what a tampering mirror would serve. */
export function tamper(tarball: string): void {
  const bytes = readFileSync(tarball);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] as number) ^ 0xff;
  writeFileSync(tarball, bytes);
}
