import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { encodeUserData, userDataLimits } from "../../src/cloudinit/encode";
import { fixedGzipHeader } from "../../src/cloudinit/deterministic-gzip";

// zlib on macOS writes OS byte 19 where Linux writes 3. Stand in for "pulumi up from a Mac":
// if the encoding went through the platform's zlib, this header would reach the user data.
vi.mock("node:zlib", async (importOriginal) => {
  const zlib = await importOriginal<typeof import("node:zlib")>();
  const asOnMacOs = (...args: Parameters<typeof zlib.gzipSync>) => {
    const out = zlib.gzipSync(...args);
    out[9] = 19;
    return out;
  };
  return { ...zlib, gzipSync: asOnMacOs, default: { ...zlib, gzipSync: asOnMacOs } };
});

/** A fixed document: text, repetition and non-ASCII, so the deflate stream has real choices to make. */
const fixedDocument =
  "#cloud-config\n" +
  Array.from({ length: 300 }, (_, i) => `# line ${i}: ${"abcdefghij".repeat(i % 7)} Қазақша ${(i * 7919) % 1000}\n`).join("");

// sha256 of the base64 user data for `fixedDocument`. If this changes, every AWS node of every
// stack would be replaced on the next `pulumi up`: change it only on purpose, and say so.
// Stock zlib reproduces it: python3's zlib.compressobj(9, zlib.DEFLATED, 31) on a Linux host.
const goldenSha256 = "3fb0a0341e49b70c4d0d485c692c320fa8bd351d23f3eb8658c9d46a6b565936";

describe("AWS user data encoding", () => {
  const encoded = encodeUserData("aws", "aws-eu-north-1-0", fixedDocument);
  const bytes = Buffer.from(encoded.value, "base64");

  it("starts with a fixed gzip header: no time, OS 3, whatever machine runs pulumi up", () => {
    expect([...bytes.subarray(0, 10)]).toEqual([...fixedGzipHeader]);
    expect(bytes.readUInt32LE(4)).toBe(0); // mtime
    expect(bytes[9]).toBe(3); // OS
  });

  it("is byte for byte the golden encoding of a fixed document", () => {
    expect(createHash("sha256").update(encoded.value).digest("hex")).toBe(goldenSha256);
  });

  it("is the same on every call", () => {
    expect(encodeUserData("aws", "other-name", fixedDocument).value).toBe(encoded.value);
  });

  it("gunzips back to the exact document", () => {
    expect(gunzipSync(bytes).toString("utf8")).toBe(fixedDocument);
    expect(encoded.encoding).toBe("gzip+base64");
    expect(encoded.bytes).toBe(bytes.length);
  });

  it("counts the gzip bytes against AWS's 16 KB and refuses more", () => {
    expect(userDataLimits.aws.maxBytes).toBe(16 * 1024);
    expect(encoded.bytes).toBeLessThanOrEqual(userDataLimits.aws.maxBytes);
    const incompressible = `#cloud-config\n${Array.from({ length: 500 }, (_, i) => `# ${createHash("sha512").update(String(i)).digest("base64")}`).join("\n")}`;
    expect(() => encodeUserData("aws", "aws-big-0", incompressible)).toThrow(/over aws's limit of 16384/);
  });
});
