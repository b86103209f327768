import type { FleetNode } from "../../fleet-input/types";
import { importableLinks } from "../subscriptions";

/**
 * The batches (numbered from 1) whose subscription would hold no link an app can use: every node
 * left on it (after reserved and blocked ones are taken out) carries neither vless nor
 * Shadowsocks. Published, such a list makes the apps drop every server of the batch.
 */
export function emptyBatches(pages: readonly (readonly FleetNode[])[]): number[] {
  return pages.flatMap((nodes, i) => (nodes.flatMap(importableLinks).length === 0 ? [i + 1] : []));
}
