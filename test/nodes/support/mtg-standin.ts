import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The version the stand-in is published under, so no one mistakes it for a real mtg release. */
export const standinVersion = "2.2.8-lifeline-standin";

export interface StandinRelease {
  /** A folder laid out like upstream's release page: `v<ver>/mtg-<ver>-linux-amd64.tar.gz`. */
  mirrorDir: string;
  /** Path of the tarball inside `mirrorDir`. */
  tarball: string;
  sha256: string;
}

/**
 * Compiles mtg-standin.c (static, so it runs on the bare node) and packs it the way mtg's
 * releases are packed: `mtg-<ver>-linux-amd64/mtg` inside a gzip tarball.
 */
export function buildStandinRelease(workDir: string): StandinRelease {
  const name = `mtg-${standinVersion}-linux-amd64`;
  const stage = join(workDir, "stage");
  const mirrorDir = join(workDir, "mirror");
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(stage, name), { recursive: true });
  mkdirSync(join(mirrorDir, `v${standinVersion}`), { recursive: true });
  execFileSync("gcc", ["-static", "-O2", "-o", join(stage, name, "mtg"), join(__dirname, "mtg-standin.c")]);
  const tarball = join(mirrorDir, `v${standinVersion}`, `${name}.tar.gz`);
  execFileSync("tar", ["-czf", tarball, "-C", stage, name]);
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
