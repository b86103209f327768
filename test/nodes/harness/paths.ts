import { randomBytes } from "node:crypto";

/**
 * Every name the harness creates on the host starts with one of these prefixes, so that
 * `cleanupStaleState` can find leftovers of crashed runs without touching anything else.
 */
export const NETNS_PREFIX = "lifeline-test-";
/** Interface names are limited to 15 bytes: "llt" + 6-char run id + role suffix. */
export const LINK_PREFIX = "llt";
export const NFT_TABLE_PREFIX = "lifeline_test_";

/** Cached Debian images; overridable so CI can point it at a persistent volume. */
export function imageCacheDir(): string {
  return process.env["LIFELINE_IMAGE_CACHE"] ?? "/var/cache/lifeline/images";
}

/** Per-node writable roots (overlay upper/work/merged). On disk, not tmpfs: apt writes a lot. */
export function nodeStateDir(): string {
  return process.env["LIFELINE_NODE_STATE"] ?? "/var/tmp/lifeline-test-nodes";
}

/** Short random id, lowercase hex, so names stay within interface-name limits. */
export function newRunId(): string {
  return randomBytes(3).toString("hex");
}
