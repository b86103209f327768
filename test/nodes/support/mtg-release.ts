import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The real mtg the tests run (shared/peers/mtg): built from upstream's source, upstream's layout. */
export const mtgPeerVersion = "2.1.7";
const peerDir = join(__dirname, "..", "..", "..", "..", "shared", "peers", "mtg");
const assetName = `mtg-${mtgPeerVersion}-linux-amd64.tar.gz`;

export interface PublishedRelease {
  /** A folder laid out like upstream's release page: `v<ver>/mtg-<ver>-linux-amd64.tar.gz`. */
  mirrorDir: string;
  /** Path of the tarball inside `mirrorDir`. */
  tarball: string;
  sha256: string;
}

/**
 * Puts the mtg peer on a mirror folder, as an organizer would mirror upstream's release, after
 * checking it against the sha256 its provenance records.
 */
export function publishMtgPeer(workDir: string): PublishedRelease {
  const source = join(peerDir, assetName);
  if (!existsSync(source)) throw new Error(`the mtg test peer is missing: ${source} (the tests expect ../shared beside the checkout)`);
  const recorded = readFileSync(join(peerDir, "SHA256SUMS"), "utf8").split("\n").find((l) => l.endsWith(`  ${assetName}`))?.split(" ")[0];
  const sha256 = createHash("sha256").update(readFileSync(source)).digest("hex");
  if (sha256 !== recorded) throw new Error(`${source} does not match its SHA256SUMS entry (${recorded})`);
  const mirrorDir = join(workDir, "mirror");
  mkdirSync(join(mirrorDir, `v${mtgPeerVersion}`), { recursive: true });
  const tarball = join(mirrorDir, `v${mtgPeerVersion}`, assetName);
  copyFileSync(source, tarball);
  return { mirrorDir, tarball, sha256 };
}

/** Flips one byte in the middle of the tarball: what a tampering mirror would serve. */
export function tamper(tarball: string): void {
  const bytes = readFileSync(tarball);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] as number) ^ 0xff;
  writeFileSync(tarball, bytes);
}
