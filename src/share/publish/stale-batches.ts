import { subscriptionToken } from "../subscriptions";

/** The most batches `share --batches` takes: a stale token is looked for among these. */
const maxBatches = 9999;

/**
 * Batches (numbered from 1) a bucket still serves a subscription for, but this run did not
 * write: the batch count went down. People who imported them keep the old links and never see a
 * rotation. Found by recomputing the tokens from the share key, so the keys say nothing more.
 */
export function staleBatches(objectKeys: readonly string[], key: Buffer, written: number): number[] {
  const present = new Set(objectKeys.filter((k) => /^sub\/[A-Za-z0-9_-]{22}$/.test(k)).map((k) => k.slice("sub/".length)));
  const stale: number[] = [];
  for (let batch = written + 1; batch <= maxBatches && present.size > 0; batch++) {
    const token = subscriptionToken(key, batch);
    if (present.delete(token)) stale.push(batch);
  }
  return stale;
}
