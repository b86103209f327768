import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pinnedXrayRelease, xrayAssetName } from "../../../src/relays/vless/release";
import { buildGoPeer, xrayPeer } from "../../peers/go-peers";
import { frontingHost, frontingSiteIp } from "./fronting-site";

export interface PublishedXray {
  version: string;
  /** sha256 of the published zip, for the stack's `release` option. */
  sha256: string;
  zip: string;
}

/**
 * Puts the Xray built from its tagged module (v1.260327.0 = 26.3.27) on the test mirror in
 * upstream's release layout: `v<ver>/Xray-linux-64.zip` holding the `xray` binary at its root.
 * The bytes differ from upstream's zip (another build), so the stack pins this zip's sha256.
 */
export async function publishXrayPeer(mirrorDir: string): Promise<PublishedXray> {
  const binary = await buildGoPeer(xrayPeer);
  const version = pinnedXrayRelease.version;
  const dir = join(mirrorDir, `v${version}`);
  mkdirSync(dir, { recursive: true });
  const zip = join(dir, xrayAssetName("amd64"));
  execFileSync("python3", [
    "-c",
    "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n    i = zipfile.ZipInfo('xray')\n    i.external_attr = 0o755 << 16\n    i.compress_type = zipfile.ZIP_DEFLATED\n    z.writestr(i, open(sys.argv[2], 'rb').read())",
    zip,
    binary,
  ]);
  return { version, sha256: createHash("sha256").update(readFileSync(zip)).digest("hex"), zip };
}

/**
 * A vless relay entry for the test stack on `port`: the Xray published on the mirror, pinned by
 * its sha256, with the test internet's HTTPS site as its REALITY target.
 */
export async function vlessTestRelay(mirrorDir: string, port: number) {
  const xray = await publishXrayPeer(mirrorDir);
  // arm64 is never fetched on this amd64 machine; its pin only has to be well-formed.
  const release = { version: xray.version, sha256: { amd64: xray.sha256, arm64: "0".repeat(64) } };
  return { kind: "vless", port, options: { target: { host: frontingSiteIp, port: 443 }, serverNames: [frontingHost], release } };
}
