import { keyedOrder } from "./keyed-hash";

export interface BatchRequest {
  /** Node ids (addresses), each unique. */
  nodes: readonly string[];
  batches: number;
  perPage: number;
  key: Buffer;
  /** A fleet too small to split (one or two nodes): every page may show all of it (`--small-fleet`). */
  wholeFleetPages?: boolean;
}

/** Why a batch request cannot meet coverage and "no page shows the whole fleet"; undefined if it can. */
export function batchRequestProblem({ nodes, batches, perPage, wholeFleetPages }: Omit<BatchRequest, "key">): string | undefined {
  if (!Number.isInteger(perPage) || perPage < 1) return "--per-page must be a whole number of at least 1";
  if (!Number.isInteger(batches) || batches < 1) return "--batches must be a whole number of at least 1";
  if (nodes.length === 0) return "the fleet has no nodes to share";
  if (perPage > nodes.length || (perPage === nodes.length && !wholeFleetPages)) {
    const smaller = nodes.length > 1 ? `use --per-page ${nodes.length - 1} or less, add nodes, ` : "add nodes, ";
    return (
      `a page of ${perPage} node${perPage === 1 ? "" : "s"} would show the whole fleet of ${nodes.length}: ${smaller}` +
      "or give --small-fleet to share it anyway (every page then shows every node: one leaked page burns them all)"
    );
  }
  const needed = Math.ceil(nodes.length / perPage);
  if (batches < needed) {
    return `--batches ${batches} with ${perPage} nodes a page shows only ${batches * perPage} of the ${nodes.length} nodes: use --batches ${needed} or more`;
  }
  return undefined;
}

// Keyed draws tried for each page before it may repeat an earlier one, and fresh starts.
const draws = 32;
const attempts = 16;

/**
 * Whether the pages still to come can give every node its fair count: some count per node
 * between what it still needs and what it may still take (at most once a page) must add up
 * to the slots left. Uniform page sizes make any such counts reachable.
 */
function canFinish(need: readonly number[], room: readonly number[], pagesLeft: number, perPage: number): boolean {
  let low = 0;
  let high = 0;
  for (let i = 0; i < need.length; i++) {
    const most = Math.min(room[i] as number, pagesLeft);
    if ((need[i] as number) > most) return false;
    low += need[i] as number;
    high += most;
  }
  return low <= pagesLeft * perPage && pagesLeft * perPage <= high;
}

/**
 * Splits nodes into pages of `perPage` different nodes. Every node ends on the same number of
 * pages, give or take one (each gets its floor or ceiling of batches x perPage / nodes), so
 * all nodes are covered and the load is even. Each page is a keyed draw (the same pages on
 * every run with the same key) among the choices that keep that promise reachable, re-drawn
 * while it would repeat an earlier page, so a leaked page burns only its own slice.
 */
export function assignBatches(request: BatchRequest): string[][] {
  const problem = batchRequestProblem(request);
  if (problem) throw new Error(problem);
  // Draws page by page cannot look ahead: when the last pages are forced into repeats, start
  // over; unless there are more pages than different slices, when repeats cannot be avoided.
  const tries = request.batches <= slicesOf(request.nodes.length, request.perPage) ? attempts : 1;
  let best: { pages: string[][]; repeats: number } | undefined;
  for (let attempt = 0; attempt < tries && (best === undefined || best.repeats > 0); attempt++) {
    const pages = drawPages(request, attempt);
    const repeats = pages.length - new Set(pages.map((p) => [...p].sort().join(" "))).size;
    if (best === undefined || repeats < best.repeats) best = { pages, repeats };
  }
  return best!.pages;
}

/** How many different pages of `perPage` out of `nodes` exist (n choose k, capped). */
function slicesOf(nodes: number, perPage: number): number {
  let n = 1;
  for (let i = 0; i < perPage && n < Number.MAX_SAFE_INTEGER; i++) n = (n * (nodes - i)) / (i + 1);
  return Math.round(n);
}

function drawPages(request: BatchRequest, attempt: number): string[][] {
  const { nodes, batches, perPage, key } = request;
  const slots = batches * perPage;
  const least = Math.floor(slots / nodes.length);
  const most = slots % nodes.length === 0 ? least : least + 1;
  const count = nodes.map(() => 0);
  const slices = slicesOf(nodes.length, perPage);
  const used = new Set<string>();
  const pages: string[][] = [];
  for (let page = 0; page < batches; page++) {
    // Every different page has been used: a new round of them may repeat the first.
    if (used.size >= slices) used.clear();
    const left = batches - page - 1;
    const fits = (chosen: readonly number[]) => {
      const need = count.map((c, i) => Math.max(0, least - c - Number(chosen.includes(i))));
      const room = count.map((c, i) => most - c - Number(chosen.includes(i)));
      return room.every((r) => r >= 0) && canFinish(need, room, left, perPage);
    };
    const indexes = nodes.map((_, i) => i);
    // Nodes that need this page to reach their fair count come first in every draw.
    const must = indexes.filter((i) => least - count[i]! > left);
    const open = indexes.filter((i) => !must.includes(i) && count[i]! < most);
    let chosen: number[] | undefined;
    for (let draw = 0; draw < draws && chosen === undefined; draw++) {
      const candidate = [...must, ...keyedOrder(key, `attempt ${attempt} batch ${page} draw ${draw}`, open, (i) => nodes[i]!).slice(0, perPage - must.length)];
      if (candidate.length === perPage && fits(candidate) && !used.has(pageKey(candidate))) chosen = candidate;
    }
    // Every draw repeated a page: the least-used nodes always fit, even if the page repeats.
    chosen ??= keyedOrder(key, `attempt ${attempt} batch ${page} least`, indexes, (i) => nodes[i]!)
      .sort((a, b) => count[a]! - count[b]!)
      .slice(0, perPage);
    used.add(pageKey(chosen));
    for (const i of chosen) count[i]!++;
    pages.push(keyedOrder(key, `batch ${page} order`, chosen, (i) => nodes[i]!).map((i) => nodes[i]!));
  }
  return pages;
}

function pageKey(indexes: readonly number[]): string {
  return [...indexes].sort((a, b) => a - b).join(" ");
}
