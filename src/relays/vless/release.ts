import type { Arch } from "../../catalog";

/** A release of Xray-core: its version and the sha256 of each architecture's zip. */
export interface XrayRelease {
  version: string;
  sha256: Record<Arch, string>;
}

/**
 * The pinned Xray-core release, 26.3.27: the newest whose Go module tag (v1.260327.0) the module
 * proxy serves, so the node tests run the very source nodes download. The checksums are the
 * release's own `.dgst` SHA2-256 values as pinned by several public projects; a node refuses
 * any other bytes.
 */
export const pinnedXrayRelease: XrayRelease = {
  version: "26.3.27",
  sha256: {
    amd64: "23cd9af937744d97776ee35ecad4972cf4b2109d1e0fe6be9930467608f7c8ae",
    arm64: "4d30283ae614e3057f730f67cd088a42be6fdf91f8639d82cb69e48cde80413c",
  },
};

export const xrayUpstream = "https://github.com/XTLS/Xray-core/releases/download";

/** Upstream's names for the Linux zips. */
const assetArch: Record<Arch, string> = { amd64: "64", arm64: "arm64-v8a" };

export function xrayAssetName(arch: Arch): string {
  return `Xray-linux-${assetArch[arch]}.zip`;
}

/** Download URL of the zip: upstream, or a mirror that keeps upstream's `v<ver>/<file>` layout. */
export function xrayAssetUrl(release: XrayRelease, arch: Arch, mirror: string | undefined): string {
  const base = (mirror ?? xrayUpstream).replace(/\/+$/, "");
  return `${base}/v${release.version}/${xrayAssetName(arch)}`;
}
