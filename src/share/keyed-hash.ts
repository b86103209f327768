import { createHmac } from "node:crypto";

/**
 * Orders items by HMAC-SHA256(key, label + item id): a fixed order for whoever holds the key,
 * unpredictable to whoever does not (rendezvous hashing, as Tor's bridge distribution uses).
 * Adding or removing an item leaves the relative order of the others unchanged.
 */
export function keyedOrder<T>(key: Buffer, label: string, items: readonly T[], id: (item: T) => string): T[] {
  const scored = items.map((item) => ({ item, score: createHmac("sha256", key).update(`${label}\u0000${id(item)}`).digest("hex") }));
  return scored.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : 0)).map((s) => s.item);
}
