import type { Arch } from "../../catalog";

/** A release of mtg: its version and the sha256 of each architecture's tarball. */
export interface MtgRelease {
  version: string;
  sha256: Record<Arch, string>;
}

/**
 * The pinned mtg release. Checksums are the release's own `mtg-2.2.8-checksums.txt`
 * values as pinned by public projects (see shared/facts.md); a node refuses any other bytes.
 */
export const pinnedMtgRelease: MtgRelease = {
  version: "2.2.8",
  sha256: {
    amd64: "7ef19d079d85f4e00d4f8334ec1f3f3c8718e3d0ed1f3109ea9a8673138a2102",
    arm64: "562a94dd4cafcb8f179b76cfeafb76da12747c8e230bc76235bf8746cc189644",
  },
};

export const mtgUpstream = "https://github.com/9seconds/mtg/releases/download";

/** Name of the release asset for an architecture, as upstream publishes it. */
export function mtgAssetName(release: MtgRelease, arch: Arch): string {
  return `mtg-${release.version}-linux-${arch}.tar.gz`;
}

/** Download URL of the asset: upstream, or a mirror that keeps upstream's `v<ver>/<file>` layout. */
export function mtgAssetUrl(release: MtgRelease, arch: Arch, mirror: string | undefined): string {
  const base = (mirror ?? mtgUpstream).replace(/\/+$/, "");
  return `${base}/v${release.version}/${mtgAssetName(release, arch)}`;
}

function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split(/[-+]/)[0]!.split(".").map(Number);
  return [major, minor, patch];
}

/** Whether `version` (e.g. `2.2.8`, `2.1.7-custom`) is `minimum` or newer, by major.minor.patch. */
export function mtgVersionAtLeast(version: string, minimum: string): boolean {
  const a = versionParts(version);
  const b = versionParts(minimum);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) > (b[i] as number);
  return true;
}
