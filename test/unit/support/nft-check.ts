import { spawnSync } from "node:child_process";

/**
 * Checks a ruleset with the real nft (parser and kernel) without touching this machine's
 * firewall: `nft -c` inside a fresh user+network namespace.
 */
export function nftCheck(ruleset: string): { valid: boolean; output: string } {
  const result = spawnSync("unshare", ["--user", "--map-root-user", "--net", "nft", "-c", "-f", "-"], { input: ruleset, encoding: "utf8" });
  if (result.error) throw new Error(`cannot run nft (${result.error.message}); install it: sudo apt-get install -y nftables`);
  return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
