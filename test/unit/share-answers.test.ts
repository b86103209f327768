import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodesForRequester, periodOf, requesterId, reservedNodes } from "../../src/share/request-answer";
import { syntheticFleet } from "./support/share-nodes";

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));
const fleetSize = fc.integer({ min: 2, max: 60 });
const requester = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => requesterId(s) !== "");
const addresses = (nodes: { address: string }[]) => nodes.map((n) => n.address);

describe("answers to one request", () => {
  it("are the same for the same requester all week, however the handle is typed", () => {
    const nodes = syntheticFleet(20);
    const k = randomBytes(32);
    const answer = (who: string, date: string) => addresses(nodesForRequester({ nodes, key: k, requester: who, date, count: 2, reservedShare: 0.2 }));
    const first = answer("@Aigerim", "2026-11-23");
    expect(first).toHaveLength(2);
    for (const date of ["2026-11-24", "2026-11-25", "2026-11-29"]) expect(answer("aigerim ", date)).toEqual(first);
    expect(answer("AIGERIM", "2026-11-25")).toEqual(first);
  });

  it("are stable within a period for any key, fleet and requester", () => {
    fc.assert(
      fc.property(key, fleetSize, requester, fc.integer({ min: 1, max: 2 }), (k, size, who, count) => {
        const input = { nodes: syntheticFleet(size), key: k, requester: who, date: "2026-11-25", count, reservedShare: 0.2 };
        const answer = addresses(nodesForRequester(input));
        expect(answer.length).toBe(Math.min(count, size - reservedNodes(input.nodes, k, 0.2).size));
        expect(addresses(nodesForRequester({ ...input, date: "2026-11-27" }))).toEqual(answer);
      }),
    );
  });

  it("rotate with the period: most requesters get other nodes the next week", () => {
    fc.assert(
      fc.property(key, (k) => {
        const nodes = syntheticFleet(20);
        const who = Array.from({ length: 100 }, (_, i) => `person${i}`);
        const changed = who.filter((w) => {
          const one = addresses(nodesForRequester({ nodes, key: k, requester: w, date: "2026-11-25", count: 2, reservedShare: 0.2 }));
          const next = addresses(nodesForRequester({ nodes, key: k, requester: w, date: "2026-12-02", count: 2, reservedShare: 0.2 }));
          return one.join() !== next.join();
        });
        expect(changed.length).toBeGreaterThan(80);
      }),
      { numRuns: 20 },
    );
  });

  it("never hand out a reserved node, and always reserve some while nodes are left to give", () => {
    fc.assert(
      fc.property(key, fleetSize, requester, fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0.01, max: 0.9, noNaN: true }), (k, size, who, day, share) => {
        const nodes = syntheticFleet(size);
        const reserved = reservedNodes(nodes, k, share);
        expect(reserved.size).toBeGreaterThanOrEqual(1);
        expect(reserved.size).toBeLessThan(size);
        const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
        for (const node of nodesForRequester({ nodes, key: k, requester: who, date, count: 2, reservedShare: share })) {
          expect(reserved.has(node.address)).toBe(false);
        }
      }),
    );
  });

  it("keep the same reserve across periods and a share near the one asked", () => {
    const nodes = syntheticFleet(50);
    const k = randomBytes(32);
    expect(reservedNodes(nodes, k, 0.2).size).toBe(10);
    expect([...reservedNodes(nodes, k, 0.2)]).toEqual([...reservedNodes(nodes, Buffer.from(k), 0.2)]);
    expect(reservedNodes(nodes, k, 0).size).toBe(0);
  });

  it("count periods as weeks from Monday and refuse what is not a date", () => {
    expect(periodOf("2026-11-25")).toBe("2026-11-23");
    expect(periodOf("2026-11-23")).toBe("2026-11-23");
    expect(periodOf("2026-11-29")).toBe("2026-11-23");
    expect(periodOf("2026-11-30")).toBe("2026-11-30");
    expect(() => periodOf("2026-02-30")).toThrow(/not a date/);
    expect(() => periodOf("next week")).toThrow(/not a date/);
  });
});
