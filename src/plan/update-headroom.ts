import { providerCatalogs } from "../catalog";
import type { QuotaNeed } from "./quotas";

/** What one account limit must hold while an update runs, beyond the stack's steady count. */
export interface UpdateHeadroom {
  need: QuotaNeed;
  /** The most the stack holds at once during an update that replaces or rotates nodes. */
  duringUpdate: number;
  /** True when that is above the limit: such an update stops half-way. */
  short: boolean;
}

/**
 * Pulumi replaces create-first: every replaced VM exists twice until the update ends, so a VM
 * limit must hold twice the stack's count; with `replaceInPlace` (deleteBeforeReplace) the old
 * VM goes first and the count never rises. A rotation makes the new address before releasing
 * the old one, with or without it, so an address limit must hold one more.
 */
export function updateHeadroom(needs: readonly QuotaNeed[], replaceInPlace: boolean): UpdateHeadroom[] {
  return needs.map((need) => {
    const extra = need.quota.duringUpdate === "vm" ? (replaceInPlace ? 0 : need.needed) : 1;
    const duringUpdate = need.needed + extra;
    return { need, duringUpdate, short: duringUpdate > need.limit };
  });
}

function what(need: QuotaNeed): string {
  return `${providerCatalogs[need.provider].title} ${need.quota.counts}${need.region === undefined ? "" : ` in ${need.region}`}`;
}

/** The outage `replaceInPlace` trades for the headroom, in the words `plan` and `pulumi up` use. */
export const replaceInPlaceOutage =
  "a node whose VM is replaced (new relays, options, SSH keys, image or rotation) is deleted before its replacement is created: " +
  "its relays are down for a few minutes while the new VM boots and sets itself up; its address and links stay";

/** Lines for `plan` and `pulumi up`: what updates need of each limit; `warning` when it does not fit. */
export function describeUpdateHeadroom(needs: readonly QuotaNeed[], replaceInPlace: boolean): { line: string; warning: boolean }[] {
  const rows = updateHeadroom(needs, replaceInPlace);
  if (rows.length === 0) return [];
  return [
    { line: "updates after the first pulumi up (Pulumi creates a replacement before it deletes what it replaces):", warning: false },
    ...(replaceInPlace ? [{ line: `  - replaceInPlace is on: ${replaceInPlaceOutage}`, warning: false }] : []),
    ...rows.map(({ need, duringUpdate, short }) => {
      const whose = need.declared ? "the declared" : "a new account's";
      const limit = `${whose} limit ${need.limit}`;
      const over = `${whose} limit is ${need.limit}`;
      if (need.quota.duringUpdate === "vm") {
        if (replaceInPlace) return { line: `  - ${what(need)}: ${duringUpdate} at most, as replaced nodes go first (${limit})`, warning: false };
        if (!short) return { line: `  - ${what(need)}: up to ${duringUpdate} while nodes are replaced (${limit})`, warning: false };
        return {
          line:
            `  - warning: ${what(need)}: an update that replaces nodes needs up to ${duringUpdate}, but ${over}: it would stop half-way. ` +
            `Set replaceInPlace: true in the stack file (each replaced node is down a few minutes), or raise the limit: ${need.quota.howToRaise}`,
          warning: true,
        };
      }
      if (!short) return { line: `  - ${what(need)}: ${duringUpdate} while a node is rotated, one more for each node rotated in the same update (${limit})`, warning: false };
      return {
        line: `  - warning: ${what(need)}: rotating a node needs ${duringUpdate}, but ${over}: raise it before a rotation: ${need.quota.howToRaise}`,
        warning: true,
      };
    }),
  ];
}
