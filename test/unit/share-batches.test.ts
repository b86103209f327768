import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignBatches, batchRequestProblem } from "../../src/share/batches";

const nodesOf = (n: number) => Array.from({ length: n }, (_, i) => `198.18.0.${i}`);

function pagesPerNode(nodes: readonly string[], pages: readonly string[][]): number[] {
  return nodes.map((n) => pages.filter((p) => p.includes(n)).length);
}

// Fleets of 2-40 nodes, pages of 1 to nodes-1, from just enough pages to cover them to 4x that.
const request = fc
  .record({ nodes: fc.integer({ min: 2, max: 40 }), perPage: fc.integer({ min: 1, max: 6 }), extra: fc.integer({ min: 0, max: 60 }) })
  .filter(({ nodes, perPage }) => perPage < nodes)
  .map(({ nodes, perPage, extra }) => ({ nodes: nodesOf(nodes), perPage, batches: Math.ceil(nodes / perPage) + extra }));
const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));

describe("batch pages", () => {
  it("put every node on a page, and the pages per node differ by at most one", () => {
    fc.assert(
      fc.property(request, key, (r, k) => {
        const counts = pagesPerNode(r.nodes, assignBatches({ ...r, key: k }));
        expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it("give each page perPage different nodes, never the whole fleet", () => {
    fc.assert(
      fc.property(request, key, (r, k) => {
        const pages = assignBatches({ ...r, key: k });
        expect(pages).toHaveLength(r.batches);
        for (const page of pages) {
          expect(new Set(page).size).toBe(r.perPage);
          expect(page.length).toBeLessThan(r.nodes.length);
          for (const node of page) expect(r.nodes).toContain(node);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("make pages pairwise different while each node is on at most 3 pages and half the slices are left", () => {
    const choose = (n: number, k: number) => Array.from({ length: k }, (_, i) => i).reduce((acc, i) => (acc * (n - i)) / (i + 1), 1);
    const small = request.filter(({ nodes, perPage, batches }) => batches * perPage <= 3 * nodes.length && batches <= choose(nodes.length, perPage) / 2);
    fc.assert(
      fc.property(small, key, (r, k) => {
        const pages = assignBatches({ ...r, key: k });
        expect(new Set(pages.map((p) => [...p].sort().join(" "))).size).toBe(pages.length);
      }),
      { numRuns: 300 },
    );
  });

  it("are the same for the same key and differ for another key", () => {
    const r = { nodes: nodesOf(30), perPage: 2, batches: 15 };
    const k = randomBytes(32);
    expect(assignBatches({ ...r, key: k })).toEqual(assignBatches({ ...r, key: Buffer.from(k) }));
    expect(assignBatches({ ...r, key: k })).not.toEqual(assignBatches({ ...r, key: randomBytes(32) }));
  });

  it("refuse requests that would miss nodes or show the whole fleet on one page", () => {
    expect(batchRequestProblem({ nodes: nodesOf(7), batches: 3, perPage: 2 })).toBe(
      "--batches 3 with 2 nodes a page shows only 6 of the 7 nodes: use --batches 4 or more",
    );
    expect(batchRequestProblem({ nodes: nodesOf(2), batches: 1, perPage: 2 })).toBe(
      "a page of 2 nodes would show the whole fleet of 2: use --per-page 1 or less, add nodes, or give --small-fleet to share it anyway (every page then shows every node: one leaked page burns them all)",
    );
    expect(batchRequestProblem({ nodes: nodesOf(7), batches: 4, perPage: 2 })).toBeUndefined();
    expect(() => assignBatches({ nodes: nodesOf(1), batches: 1, perPage: 1, key: randomBytes(32) })).toThrow(/whole fleet of 1/);
  });
});
