import { gzip } from "pako";

/**
 * The gzip header every encoding starts with: magic, deflate, no flags, mtime 0, "maximum
 * compression" (level 9), OS 3 (Unix). zlib writes the OS that compressed (19 on macOS, 10 on
 * Windows builds) and Node's zlib may pick other matches on other CPUs, so the same text
 * gzipped on two machines differed, and with `userDataReplaceOnChange` an AWS node was
 * replaced whenever a different organizer ran `pulumi up`.
 */
export const fixedGzipHeader: readonly number[] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03];

/**
 * gzip that gives the same bytes for the same text on every OS and CPU: pako is plain
 * JavaScript (no native zlib), pinned to one version, and writes a header with no time or
 * host in it. `legacyHash` keeps canonical zlib's match finder, so stock zlib at level 9
 * reproduces the stream.
 */
export function deterministicGzip(text: string): Buffer {
  const bytes = Buffer.from(gzip(Buffer.from(text, "utf8"), { level: 9, legacyHash: true }));
  // A pako upgrade that changed its header would silently replace every AWS node: refuse instead.
  if (!fixedGzipHeader.every((byte, i) => bytes[i] === byte)) {
    throw new Error(`pako wrote an unexpected gzip header ${bytes.subarray(0, 10).toString("hex")}; user data must not change with the library`);
  }
  return bytes;
}
