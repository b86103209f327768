import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliError } from "./cli-error";
import { loadShareKey, shareKeyPath } from "./share-key-file";

export interface KeyChoice {
  /** `--key`, when given. */
  key?: string;
  /** Outputs files given, where keys of older versions were made (`share.key` beside the first). */
  outputs?: string[];
  /** Where pages go: pages already there mean the fleet already has a key. */
  out: string;
  /** Make a new key although the fleet already has pages (`--new-key`). */
  newKey?: boolean;
  preview?: boolean;
}

export interface ChosenKey {
  key: Buffer;
  path: string;
  created: boolean;
  save: () => void;
}

/** Pages a run of `share` wrote into `out`, which a new key would reshuffle. */
function existingPages(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out).filter((f) => /^batch-\d+\.html$/.test(f) || f === "all.html");
}

/** Where older versions made the key: beside the first outputs file, or in the working folder. */
function olderKey(choice: KeyChoice): string | undefined {
  const places = [...(choice.outputs?.[0] !== undefined ? [join(dirname(choice.outputs[0]), "share.key")] : []), "share.key"];
  return places.find((p) => existsSync(p));
}

/**
 * The share key, from its one place; a preview's is made for the run and never saved. A second
 * key for a fleet that already has pages (or an older key elsewhere) is refused loudly: it would
 * reshuffle every batch and answer already handed out. `--new-key` makes one all the same.
 */
export function chooseShareKey(choice: KeyChoice, warn: (text: string) => void): ChosenKey {
  if (choice.preview) return { key: randomBytes(32), path: "", created: false, save: () => undefined };
  const path = choice.key ?? shareKeyPath();
  const loaded = loadShareKey(path);
  if (!loaded.created) return { ...loaded, path };
  const older = choice.key === undefined ? olderKey(choice) : undefined;
  if (older !== undefined) {
    throw new CliError(
      `WARNING: no share key at ${path}, but an older one is at ${older}. Move it to its place, so that pages and answers stay the same:\n` +
        `  mkdir -p ${dirname(path)} && mv ${older} ${path}`,
      1,
    );
  }
  const pages = existingPages(choice.out);
  if (pages.length > 0 && !choice.newKey) {
    throw new CliError(
      `WARNING: ${choice.out} already holds pages (${pages.slice(0, 3).join(", ")}${pages.length > 3 ? ", ..." : ""}) made with a share key, and there is none at ${path}. ` +
        "A new key would reshuffle every batch and every answer already sent. " +
        `Put the fleet's key at ${path} (or give --key FILE); if it is lost for good, give --new-key.`,
      1,
    );
  }
  if (pages.length > 0) warn(`WARNING: making a SECOND share key for a fleet that already has pages in ${choice.out}: every batch and answer changes`);
  return { ...loaded, path };
}
