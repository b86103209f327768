import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FleetNode } from "../../src/fleet-input/types";
import { reservedNodes } from "../../src/share/request-answer";
import { runCli } from "./support/plan-cli";
import { syntheticFleet } from "./support/share-nodes";

// Reserved nodes reach people only by hand: on no batch page, post, answer or outline.json,
// named but without links on all.html, and on their own pages with `share --reserved`.
const work = mkdtempSync(join(tmpdir(), "lifeline-reserved-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const nodes = syntheticFleet(10);
const outputs = join(work, "fleet.json");
writeFileSync(outputs, JSON.stringify({ nodes: nodes.map(({ name, provider, region, address, relays }) => ({ name, provider, region, address, links: Object.fromEntries(relays.map(({ kind, ...links }) => [kind, links])) })) }));
const keyHex = "3c".repeat(32);
const keyFile = join(work, "share.key");
writeFileSync(keyFile, `${keyHex}\n`, { mode: 0o600 });
const reserved = reservedNodes(nodes, Buffer.from(keyHex, "hex"), 0.3);

/** What only this node's links carry: its http password and its access key's host:port. */
const traces = (node: FleetNode) => [node.relays.find((r) => r.kind === "http")!.password as string, `@${node.address}:8388`, `server=${node.address}&`];
const carries = (text: string, node: FleetNode) => traces(node).some((t) => text.includes(t));

describe("reserved nodes", () => {
  it("are on no batch page, post, outline.json or answer, and all.html names them without a link", () => {
    expect(reserved.size).toBe(3);
    const out = join(work, "pages");
    const r = runCli("share", "--outputs", outputs, "--key", keyFile, "--out", out, "--reserve", "0.3", "--per-page", "2", "--batches", "12");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("10 nodes from 1 stack, 3 reserved (on no page: --reserved writes them); 12 batch pages of 2 nodes; each other node on 3-4 pages");
    // Subscriptions too: sub/<token> lists decoded from base64.
    const files = readdirSync(out, { recursive: true, encoding: "utf8" }).filter((f) => f !== "sub" && f !== "all.html");
    const open = nodes.filter((n) => !reserved.has(n.address));
    const read = (f: string) => (/^sub\/[A-Za-z0-9_-]{22}$/.test(f) ? Buffer.from(readFileSync(join(out, f), "utf8"), "base64").toString("utf8") : readFileSync(join(out, f), "utf8"));
    const handedOut = files.map(read);
    expect(files.filter((f) => !f.startsWith("sub/"))).toHaveLength(25);
    expect(files.filter((f) => /^sub\/[A-Za-z0-9_-]{22}$/.test(f))).toHaveLength(12);
    for (const node of nodes.filter((n) => reserved.has(n.address))) {
      for (const [i, text] of handedOut.entries()) expect(carries(text, node), `${node.name} in ${files[i]}`).toBe(false);
    }
    // Every other node is handed out somewhere.
    for (const node of open) expect(handedOut.some((text) => carries(text, node)), node.name).toBe(true);
    const all = readFileSync(join(out, "all.html"), "utf8");
    for (const node of nodes) expect(carries(all, node), node.name).toBe(!reserved.has(node.address));
    for (const node of nodes.filter((n) => reserved.has(n.address))) expect(all).toContain(`<bdi>${node.name}</bdi> <bdi>${node.address}</bdi>`);
    expect(all).toContain("3 reserved, on no page, post, answer or outline.json: hand them out by hand");
    // Answers never held reserved nodes; still true (each run of the CLI takes a second or two).
    for (let who = 0; who < 6; who++) {
      const answer = runCli("share", "--outputs", outputs, "--key", keyFile, "--reserve", "0.3", "--for", `@someone${who}`, "--period", "2026-11-23");
      for (const node of nodes.filter((n) => reserved.has(n.address))) expect(carries(answer.stdout, node), `@someone${who}`).toBe(false);
    }
  });

  it("are written with --reserved alone, one node to a page and a message", () => {
    const out = join(work, "by-hand");
    const r = runCli("share", "--outputs", outputs, "--key", keyFile, "--out", out, "--reserve", "0.3", "--reserved");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 reserved of 10 nodes from 1 stack: one page and one message each, to hand out by hand, one node to one person");
    const files = readdirSync(out).sort();
    expect(files).toEqual(["reserved-01.html", "reserved-01.txt", "reserved-02.html", "reserved-02.txt", "reserved-03.html", "reserved-03.txt"]);
    const kept = nodes.filter((n) => reserved.has(n.address));
    for (const [i, node] of kept.entries()) {
      for (const file of [`reserved-0${i + 1}.html`, `reserved-0${i + 1}.txt`]) {
        const text = readFileSync(join(out, file), "utf8");
        expect(nodes.filter((n) => carries(text, n)).map((n) => n.name), file).toEqual([node.name]);
      }
    }
    const clash = runCli("share", "--outputs", outputs, "--key", keyFile, "--reserved", "--for", "@x");
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("--reserved writes the reserved nodes' own pages: give it without --for and --batches");
  });
});
