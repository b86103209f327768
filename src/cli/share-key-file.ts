import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./cli-error";

const keyPattern = /^[0-9a-f]{64}$/;

/** Where the share key lives unless `--key` says otherwise: said in `share --help` and the README. */
export const shareKeyPlace = "$LIFELINE_SHARE_KEY_FILE, or ~/.config/lifeline/share-key";

/**
 * The share key's one fixed place: `$LIFELINE_SHARE_KEY_FILE`, else `~/.config/lifeline/share-key`.
 * Not beside the outputs or in the working folder, where a run from elsewhere would quietly make
 * a second key and reshuffle every batch and answer.
 */
export function shareKeyPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const fromEnv = env["LIFELINE_SHARE_KEY_FILE"];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : join(home, ".config", "lifeline", "share-key");
}

/** A file of secrets made before (or copied in) with a looser mode is narrowed to its owner. */
export function ownerOnly(path: string): void {
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

/**
 * The organizers' secret key for batches and request answers, made on first use (32 random
 * bytes, hex, readable by the owner only); `save` writes a new one. Losing it reshuffles every answer; leaking it lets
 * anyone compute who got which nodes, so its folder is the owner's alone.
 */
export function loadShareKey(path: string): { key: Buffer; created: boolean; save: () => void } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new CliError(`${path}: cannot read the share key (${(error as NodeJS.ErrnoException).code})`);
    const key = randomBytes(32);
    // Saved only once the command has succeeded (nothing is written on bad input); "wx" never
    // overwrites a key that appeared meanwhile, since answers already sent depend on it.
    return {
      key,
      created: true,
      save: () => {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        writeFileSync(path, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
        chmodSync(path, 0o600);
      },
    };
  }
  const hex = text.trim();
  if (!keyPattern.test(hex)) throw new CliError(`${path}: is not a share key (64 hex characters); move it away to make a new one`);
  ownerOnly(path);
  return { key: Buffer.from(hex, "hex"), created: false, save: () => undefined };
}
