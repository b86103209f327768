import { z } from "zod";

/** Let's Encrypt's production directory: certificates every browser trusts. */
export const letsEncryptDirectory = "https://acme-v02.api.letsencrypt.org/directory";
/** Let's Encrypt's staging directory: real validation, certificates no browser trusts; for a first run. */
export const letsEncryptStagingDirectory = "https://acme-staging-v02.api.letsencrypt.org/directory";

/** Let's Encrypt issues IP address certificates only under this profile (about 6 days, 160 hours). */
export const ipCertificateProfile = "shortlived";

/**
 * The ACME directory the node asks for its certificate. It lands in a JSON file on the node and
 * in plan output, never in a shell line; still only a plain https URL is accepted (ACME
 * requires HTTPS), so nothing in it can be read as syntax anywhere.
 */
export const acmeDirectoryUrl = z
  .string({ error: "must be the https URL of an ACME directory" })
  .regex(/^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/, {
    error: `must be the https URL of an ACME directory, such as ${letsEncryptStagingDirectory} (a host, an optional port and a path; no spaces, quotes, $, ;, ?, # or user:password@)`,
  });

/** How the plan names a directory, so organizers see which CA their nodes will ask. */
export function acmeDirectoryName(url: string): string {
  if (url === letsEncryptDirectory) return "Let's Encrypt";
  if (url === letsEncryptStagingDirectory) return "Let's Encrypt staging (browsers will not trust these certificates: for a first run only)";
  return `the ACME directory ${url}`;
}
