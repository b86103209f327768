import type { FleetNode } from "../fleet-input/types";
import { keyedOrder } from "./keyed-hash";

/**
 * Nodes kept back from request answers: a fixed keyed draw, the same in every period, so the
 * organizers always hold nodes no requester was given. With `share` above 0 and two or more
 * nodes, at least one is reserved and at least one is left to hand out.
 */
export function reservedNodes(nodes: readonly FleetNode[], key: Buffer, share: number): Set<string> {
  if (share <= 0 || nodes.length < 2) return new Set();
  const count = Math.min(nodes.length - 1, Math.max(1, Math.round(nodes.length * share)));
  return new Set(keyedOrder(key, "reserved", nodes, (n) => n.address).slice(0, count).map((n) => n.address));
}

/** The Monday (UTC) that starts the week of a YYYY-MM-DD date: answers rotate weekly. */
export function periodOf(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`"${date}" is not a date: use YYYY-MM-DD, e.g. 2026-11-25`);
  }
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** "@Aigerim " and "aigerim" are one requester: handles are case-insensitive in Telegram. */
export function requesterId(requester: string): string {
  return requester.normalize("NFKC").trim().replace(/^@/, "").toLowerCase();
}

/**
 * Who asks: a numeric Telegram user id (`123456789` or `id:123456789`), which a requester
 * cannot change without a new account, or else a handle, which is renamed freely.
 */
export type Requester = { kind: "id"; id: string } | { kind: "handle"; handle: string };

export function parseRequester(text: string): Requester | undefined {
  const id = /^(?:id:)?([1-9]\d{0,19})$/i.exec(text.trim())?.[1];
  if (id !== undefined) return { kind: "id", id };
  const handle = requesterId(text);
  return handle === "" ? undefined : { kind: "handle", handle };
}

/** Nodes a week's handle-only answers come from, unless told otherwise (--handle-pool). */
export const defaultHandlePool = 4;

export interface RequestAnswerInput {
  nodes: readonly FleetNode[];
  key: Buffer;
  requester: string;
  /** Any day of the period (week) the answer is for. */
  date: string;
  /** How many nodes an answer holds: 1 or 2. */
  count: number;
  reservedShare: number;
  /** How many nodes a week's handle-only answers share (default 4). */
  handlePool?: number;
}

/**
 * The nodes one requester gets, in an order keyed by requester and period: asking again in the
 * same week gives the same nodes, so asking many times reveals nothing more; the next week
 * rotates them. Keyed on a numeric user id: the first `count` of every non-reserved node. Keyed
 * on a handle alone: drawn from the week's small pool of `handlePool` nodes, the same for every
 * handle, so renaming a thousand times still reveals only the pool.
 */
export function nodesForRequester(input: RequestAnswerInput): FleetNode[] {
  const requester = parseRequester(input.requester);
  if (requester === undefined) throw new RangeError("the requester is empty");
  const reserved = reservedNodes(input.nodes, input.key, input.reservedShare);
  const open = input.nodes.filter((n) => !reserved.has(n.address));
  const period = periodOf(input.date);
  if (requester.kind === "id") return keyedOrder(input.key, `answer ${period} id:${requester.id}`, open, (n) => n.address).slice(0, input.count);
  const pool = keyedOrder(input.key, `handle pool ${period}`, open, (n) => n.address).slice(0, input.handlePool ?? defaultHandlePool);
  return keyedOrder(input.key, `answer ${period} ${requester.handle}`, pool, (n) => n.address).slice(0, input.count);
}
