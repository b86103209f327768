import { readFile, rm, writeFile } from "node:fs/promises";
import { run } from "./run-command";
import { NFT_TABLE_PREFIX } from "./paths";

/**
 * The node's apt traffic is routed by the host, which needs net.ipv4.ip_forward=1. We remember
 * the value found before the first test network and put it back when the last one is gone, so
 * the host is left as it was. (Our own nft table drops every other forwarded packet meanwhile.)
 */
const IP_FORWARD = "/proc/sys/net/ipv4/ip_forward";
const SAVED = "/run/lifeline-test/ip_forward.orig";

export async function enableHostForwarding(): Promise<void> {
  const current = (await readFile(IP_FORWARD, "utf8")).trim();
  // "wx": only the first network of a batch records the original value.
  await writeFile(SAVED, current, { flag: "wx" }).catch(() => undefined);
  await writeFile(IP_FORWARD, "1");
}

/** Names of lifeline nft tables currently on the host. */
export async function lifelineNftTables(): Promise<string[]> {
  const r = await run("nft", ["list", "tables"]);
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((w) => w[0] === "table" && (w[2] ?? "").startsWith(NFT_TABLE_PREFIX))
    .map((w) => `${w[1]} ${w[2]}`);
}

/** Restores the saved ip_forward value if no lifeline network remains on the host. */
export async function restoreHostForwardingIfUnused(): Promise<void> {
  if ((await lifelineNftTables()).length > 0) return;
  const saved = await readFile(SAVED, "utf8").catch(() => null);
  if (saved === null) return;
  await writeFile(IP_FORWARD, saved.trim());
  await rm(SAVED, { force: true });
}
