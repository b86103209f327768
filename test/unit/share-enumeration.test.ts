import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keyedOrder } from "../../src/share/keyed-hash";
import { nodesForRequester, reservedNodes } from "../../src/share/request-answer";
import { runCli } from "./support/plan-cli";
import { syntheticFleet } from "./support/share-nodes";

// How many distinct requesters it takes to see every non-reserved node in one week: a 50-node
// fleet with --reserve 0.2 (40 handed out), answers of 2 nodes. The figures are in the README.
const nodes = syntheticFleet(50);
const week = "2026-11-23";
const keys = Array.from({ length: 60 }, (_, i) => createHash("sha256").update(`enumeration key ${i}`).digest());
const limit = 2000;

/** Requesters asked, one new name each, until every non-reserved node was in some answer (or `limit`). */
function requestersToSeeAll(key: Buffer, answer: (name: string) => readonly { address: string }[]): number {
  const open = nodes.length - reservedNodes(nodes, key, 0.2).size;
  const seen = new Set<string>();
  for (let asked = 1; asked <= limit; asked++) {
    for (const node of answer(`renamed${asked}`)) seen.add(node.address);
    if (seen.size === open) return asked;
  }
  return Infinity;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("enumerating the fleet through --for", () => {
  it("before: keyed on the handle, a median of about 80 renames sees all 40; after: handles see only the week's pool of 4", () => {
    // The keying before this change: HMAC over every non-reserved node, labelled with the handle.
    const before = keys.map((key) =>
      requestersToSeeAll(key, (handle) => {
        const reserved = reservedNodes(nodes, key, 0.2);
        return keyedOrder(key, `answer ${week} ${handle}`, nodes.filter((n) => !reserved.has(n.address)), (n) => n.address).slice(0, 2);
      }),
    );
    // After, with numeric ids: each requester a separate Telegram account.
    const byId = keys.map((key, k) => requestersToSeeAll(key, (name) => nodesForRequester({ nodes, key, requester: `id:${1000 + k * limit + Number(name.slice(7))}`, date: week, count: 2, reservedShare: 0.2 })));
    // After, with handles alone: 400 renames (10 keys), never past the pool.
    const byHandle = keys.slice(0, 10).map((key) => {
      const seen = new Set<string>();
      for (let i = 0; i < 400; i++) for (const n of nodesForRequester({ nodes, key, requester: `@renamed${i}`, date: week, count: 2, reservedShare: 0.2 })) seen.add(n.address);
      return seen.size;
    });
    const figures = { beforeMedian: median(before), beforeMin: Math.min(...before), byIdMedian: median(byId), byIdMin: Math.min(...byId), handleNodesMax: Math.max(...byHandle) };
    console.log(`enumeration over ${keys.length} keys: ${JSON.stringify(figures)}`);
    expect(figures.beforeMedian).toBeGreaterThan(70);
    expect(figures.beforeMedian).toBeLessThan(100);
    expect(figures.byIdMedian).toBeGreaterThan(70);
    expect(figures.handleNodesMax).toBe(4);
    expect(byHandle.every((n) => n === 4)).toBe(true);
  }, 300_000);
});

describe("--for from the command line", () => {
  const work = mkdtempSync(join(tmpdir(), "lifeline-for-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const outputs = join(work, "fleet.json");
  writeFileSync(outputs, JSON.stringify({ nodes: nodes.slice(0, 10).map(({ name, provider, region, address, relays }) => ({ name, provider, region, address, links: Object.fromEntries(relays.map(({ kind, ...links }) => [kind, links])) })) }));
  const key = join(work, "share.key");
  writeFileSync(key, `${"7e".repeat(32)}\n`, { mode: 0o600 });
  const ask = (who: string, ...extra: string[]) => runCli("share", "--outputs", outputs, "--key", key, "--for", who, "--period", week, ...extra);

  it("keys on the numeric id, and gives handles alone a global weekly budget kept owner-only beside the key", () => {
    const byId = ask("id:123456789");
    expect(byId.code).toBe(0);
    expect(byId.stderr).toBe(`answer for the week of ${week}: 2 of 10 nodes from 1 stack, 2 reserved; keyed on the numeric user id\n`);
    expect(ask("123456789").stdout).toBe(byId.stdout);
    const first = ask("@aigerim", "--handle-limit", "2");
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("keyed on a handle: from the week's pool of 4 nodes, 1 of 2 handle answers this week");
    const log = `${key}.requests`;
    expect((statSync(log).mode & 0o777).toString(8)).toBe("600");
    expect(readFileSync(log, "utf8")).not.toContain("aigerim");
    // The same handle again costs nothing; a second handle uses the budget up; a third is refused.
    expect(ask("Aigerim", "--handle-limit", "2").stdout).toBe(first.stdout);
    expect(ask("@bolat", "--handle-limit", "2").code).toBe(0);
    const refused = ask("@renamed", "--handle-limit", "2");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(`lifeline: the 2 answers to handles alone for the week of ${week} are given: ask the requester for their numeric Telegram user id and give --for id:NUMBER (or raise --handle-limit)\n`);
    // Ids are not limited.
    expect(ask("id:987654321", "--handle-limit", "2").code).toBe(0);
  });
});
