import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withFileLock } from "./file-lock";
import { imageCacheDir } from "./paths";
import { runOk } from "./run-command";

const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";

/** What debootstrap puts in: the brief's minimum for systemd + networking inside nspawn. */
const DEBOOTSTRAP_PACKAGES = ["systemd", "systemd-sysv", "iproute2", "nftables", "ca-certificates", "dbus"];

/**
 * Installed with apt afterwards (cloud-init through --include fails on a virtual package).
 * These are pieces a Debian 12 cloud image has and that cloud-configs lean on: sshd (configs
 * enable/disable it), sudo (the default user), locales (cloud-init's locale module), gpg (apt
 * source keys), procps (ps), netbase (/etc/services, /etc/protocols), curl.
 */
const APT_PACKAGES = ["cloud-init", "openssh-server", "sudo", "locales", "gpg", "procps", "netbase", "curl"];

/** Deb822 sources like a cloud image's, all on deb.debian.org: the only archive host a node may reach. */
const APT_SOURCES = `Types: deb
URIs: ${MIRROR}
Suites: ${SUITE} ${SUITE}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: ${SUITE}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

/**
 * NoCloud only, so cloud-init never probes cloud metadata addresses; network config disabled so
 * cloud-init does not write a DHCP config that would override the node's static networkd files.
 * (Debian's own cloud.cfg already points apt at deb.debian.org, the one archive host allowed.)
 */
const CLOUD_CFG = `datasource_list: [ NoCloud, None ]
network: {config: disabled}
`;

/** Changing the recipe changes the cache key, so a stale image is never reused by mistake. */
const RECIPE_VERSION = 2;
const recipeHash = createHash("sha256")
  .update(JSON.stringify({ RECIPE_VERSION, SUITE, DEBOOTSTRAP_PACKAGES, APT_PACKAGES, APT_SOURCES, CLOUD_CFG }))
  .digest("hex")
  .slice(0, 12);

const BUILD_TIMEOUT_MS = 30 * 60_000;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Runs a command inside the image being built, with a clean environment (no host PATH leaks in). */
function inChroot(root: string, args: string[]) {
  return runOk(
    "chroot",
    [root, "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LANG=C.UTF-8", ...args],
    { timeoutMs: BUILD_TIMEOUT_MS },
  );
}

async function buildImage(root: string): Promise<void> {
  await runOk(
    "debootstrap",
    ["--variant=minbase", `--include=${DEBOOTSTRAP_PACKAGES.join(",")}`, SUITE, root, MIRROR],
    { timeoutMs: BUILD_TIMEOUT_MS },
  );
  // Keep package maintainer scripts from starting daemons inside the build chroot.
  await writeFile(join(root, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  await rm(join(root, "etc/apt/sources.list"), { force: true });
  await writeFile(join(root, "etc/apt/sources.list.d/debian.sources"), APT_SOURCES);
  await inChroot(root, ["apt-get", "update"]);
  await inChroot(root, ["apt-get", "install", "-y", "--no-install-recommends", ...APT_PACKAGES]);
  await inChroot(root, ["apt-get", "clean"]);
  // cloud-init's locale module sets en_US.UTF-8, but Debian's locale-gen ignores its argument
  // and only builds what /etc/locale.gen lists: pre-build it, as Debian's cloud images have it.
  await writeFile(join(root, "etc/locale.gen"), "en_US.UTF-8 UTF-8\n");
  await inChroot(root, ["locale-gen"]);
  await writeFile(join(root, "etc/cloud/cloud.cfg.d/90-lifeline-test.cfg"), CLOUD_CFG);
  await inChroot(root, ["systemctl", "enable", "systemd-networkd"]);
  // Each boot must look like a brand-new VM: fresh machine id, fresh ssh host keys, no
  // hostname or resolver copied from the build host (the node root writes its own).
  await writeFile(join(root, "etc/machine-id"), "");
  await rm(join(root, "var/lib/dbus/machine-id"), { force: true });
  for (const f of await readdir(join(root, "etc/ssh"))) {
    if (f.startsWith("ssh_host_")) await rm(join(root, "etc/ssh", f));
  }
  await writeFile(join(root, "etc/hostname"), "debian\n");
  await rm(join(root, "etc/resolv.conf"), { force: true });
  await rm(join(root, "usr/sbin/policy-rc.d"));
  await inChroot(root, ["cloud-init", "clean", "--logs"]);
}

/**
 * Returns the directory of a cached Debian 12 rootfs with cloud-init, building it on first use.
 * Built in a temporary directory and renamed into place, under a lock, so concurrent test
 * processes either wait for the build or reuse the finished image; never see half of one.
 */
export async function ensureBaseImage(): Promise<string> {
  const cache = imageCacheDir();
  const finalDir = join(cache, `${SUITE}-${recipeHash}`);
  if (await exists(finalDir)) return finalDir;
  await mkdir(cache, { recursive: true });
  return withFileLock(join(cache, `${SUITE}.lock`), BUILD_TIMEOUT_MS, async () => {
    if (await exists(finalDir)) return finalDir;
    // Holding the lock, any leftover build directory belongs to a crashed build.
    for (const entry of await readdir(cache)) {
      if (entry.startsWith(".build-")) await rm(join(cache, entry), { recursive: true, force: true });
    }
    const tmpDir = join(cache, `.build-${recipeHash}-${process.pid}`);
    try {
      await buildImage(tmpDir);
      await rename(tmpDir, finalDir);
    } catch (e) {
      await rm(tmpDir, { recursive: true, force: true });
      throw e;
    }
    return finalDir;
  });
}
