import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { CliError } from "./cli-error";

const keyPattern = /^[0-9a-f]{64}$/;

/** A file of secrets made before (or copied in) with a looser mode is narrowed to its owner. */
export function ownerOnly(path: string): void {
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

/**
 * The organizers' secret key for batches and request answers, made on first use (32 random
 * bytes, hex, readable by the owner only); `save` writes a new one. Losing it reshuffles every answer; leaking it lets
 * anyone compute who got which nodes, so it stays beside the outputs, which are secret too.
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
    return { key, created: true, save: () => writeFileSync(path, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" }) };
  }
  const hex = text.trim();
  if (!keyPattern.test(hex)) throw new CliError(`${path}: is not a share key (64 hex characters); move it away to make a new one`);
  ownerOnly(path);
  return { key: Buffer.from(hex, "hex"), created: false, save: () => undefined };
}
