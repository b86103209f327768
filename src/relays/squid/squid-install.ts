import { z } from "zod";
import type { NodeFile } from "../types";

/** Connections served at once (squid needs two file descriptors for each, and stops there). */
export const squidMaxConnections = (byDefault: number) => z.number().int().min(16).max(65536).default(byDefault);

export const squidOptions = z.strictObject({
  maxConnections: squidMaxConnections(8192),
});
export type SquidOptions = z.infer<typeof squidOptions>;

/**
 * Debian's squid built with OpenSSL. Both squid relays install it: Debian's default `squid`
 * (GnuTLS) does not send the intermediate certificate with `https_port`, and the two packages
 * conflict, so one build serves both.
 */
export const squidPackages = ["squid-openssl", "openssl"];

/** Where one squid relay keeps its files; each relay has its own, so either runs alone. */
export interface SquidPaths {
  config: string;
  /** The generated user and password, removed once hashed. */
  credentials: string;
  passwd: string;
  errorPage: string;
  errorPagesDir: string;
}

export function squidPaths(kind: string): SquidPaths {
  return {
    config: `/etc/lifeline/${kind}-proxy.conf`,
    credentials: `/etc/lifeline/${kind}-proxy.credentials`,
    passwd: `/etc/lifeline/${kind}-proxy.passwd`,
    errorPage: `/etc/lifeline/${kind}-error.html`,
    errorPagesDir: `/etc/lifeline/${kind}-errors`,
  };
}

/** One neutral page for every error squid can show: no product name, no host name, no codes. */
const neutralErrorPage = "<html><head><title>Error</title></head><body><p>The request could not be completed.</p></body></html>\n";

export function squidFiles(paths: SquidPaths, config: string, user: string, pass: string): NodeFile[] {
  return [
    { path: paths.config, content: config, permissions: "0644" },
    { path: paths.credentials, content: `${user} ${pass}\n`, permissions: "0600" },
    { path: paths.errorPage, content: neutralErrorPage, permissions: "0644" },
  ];
}

/**
 * squid in the foreground as the relay's unit runs it. `-n` names its shared-memory segments
 * (/dev/shm/<kind>-*): two squids on one node must not share them, or the second refuses to
 * start ("shm_open ... File exists").
 */
export function squidExecStart(kind: string, paths: SquidPaths): string {
  return `/usr/sbin/squid -N -n ${kind} -f ${paths.config}`;
}

/** Root steps before a squid relay starts: the package's own squid off, the password hashed, neutral error pages. */
export function squidSetup(paths: SquidPaths, relayUser: string): string[] {
  return [
    // The package's own squid (3128) must never run, not even when an upgrade restarts it.
    "systemctl disable --now squid.service",
    "systemctl mask squid.service",
    // squid checks passwords against a crypt(3) hash; the plain copy is removed.
    `read -r user pass < ${paths.credentials}`,
    `printf '%s:%s\\n' "$user" "$(printf '%s' "$pass" | openssl passwd -6 -stdin)" > ${paths.passwd}`,
    `chown root:${relayUser} ${paths.passwd}`,
    `chmod 0640 ${paths.passwd}`,
    `rm -f ${paths.credentials}`,
    // squid's own error templates name squid and the host: each is replaced by the neutral page.
    `mkdir -p ${paths.errorPagesDir}`,
    `for template in /usr/share/squid/errors/templates/ERR_*; do cp ${paths.errorPage} "${paths.errorPagesDir}/$(basename "$template")"; done`,
  ];
}
