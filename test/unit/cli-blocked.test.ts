import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { outsideNodes } from "../../src/blocked/outside-check";
import { joinReports, nodesToRotate } from "../../src/blocked/verdicts";
import { decodeReport, encodeReport, nodeTag, type ReportedRelay } from "../../src/inside/report-code";
import { inDays, runCli } from "./support/plan-cli";

// `lifeline blocked`: codes from inside joined with `check --json` from outside, and --rotate
// editing real stack files (comments and all) through the CLI as an organizer runs it.
const work = mkdtempSync(join(tmpdir(), "lifeline-blocked-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stackText = (volunteer: string, region: string, count: number, rotations: string) => `# ${volunteer}'s stack: keep this comment
config:
  digitalocean:token:
    secure: v1:abc
  lifeline:fleet:
    volunteer: "${volunteer}"
    openPorts: [443, 8443] # found by scan
    relays:
      - kind: mtproto
        port: 443
      - kind: socks5
        port: 8443
    groups:
      - provider: digitalocean
        regions: [${region}]
        nodesPerRegion: ${count}
    budgetPerDay: 5
    expires: "${inDays(30)}"
${rotations}`;

// aigerim: fra1-0 blocked, fra1-1 down outside, fra1-2 disputed; bob: ams3-0 working, ams3-1 blocked.
const nodes = [
  { stack: "aigerim", name: "do-fra1-0", address: "203.0.113.10", outside: true },
  { stack: "aigerim", name: "do-fra1-1", address: "203.0.113.11", outside: false },
  { stack: "aigerim", name: "do-fra1-2", address: "203.0.113.12", outside: true },
  { stack: "bob", name: "do-ams3-0", address: "198.51.100.20", outside: true },
  { stack: "bob", name: "do-ams3-1", address: "198.51.100.21", outside: true },
];

function checkJson(): string {
  const links = nodes.flatMap((n) =>
    ["mtproto", "socks5"].map((relay) => ({ source: `stack ${n.stack}`, node: n.name, address: n.address, relay, port: 443, status: n.outside ? "ok" : "failed", latencyMs: 30, handshakeMs: 20, detail: "" })),
  );
  return JSON.stringify({ checked: links.length, links });
}

const works: ReportedRelay[] = [{ kind: "mtproto", status: "ok", ms: 80 }, { kind: "socks5", status: "ok", ms: 60 }];
const fails: ReportedRelay[] = [{ kind: "mtproto", status: "no-connection" }, { kind: "socks5", status: "handshake-failed", ms: 40 }];

function code(salt: string, network: string, seen: Record<string, ReportedRelay[]>): string {
  return encodeReport({ salt, checkedAt: 1_800_000_000, network, nodes: Object.entries(seen).map(([address, relays]) => ({ tag: nodeTag(salt, address), relays })) });
}

const beeline = () => code("a1b2c3", "Beeline", { "203.0.113.10": fails, "203.0.113.11": fails, "203.0.113.12": fails, "198.51.100.20": works, "198.51.100.21": fails });
const kcell = () => code("0f0e0d", "Kcell", { "203.0.113.10": fails, "203.0.113.12": works, "198.51.100.21": fails });

const aigerimPath = join(work, "Pulumi.aigerim.yaml");
const bobPath = join(work, "Pulumi.bob.yaml");
const outsidePath = join(work, "check.json");
beforeEach(() => {
  writeFileSync(aigerimPath, stackText("Aigerim", "fra1", 3, ""));
  writeFileSync(bobPath, stackText("Bob", "ams3", 2, "    rotations:\n      do-ams3-1: 2 # blocked in May\n"));
  writeFileSync(outsidePath, checkJson());
});

describe("joining reports with the outside check", () => {
  it("gives each node its verdict; down and disputed nodes are never among those to rotate", () => {
    const joined = joinReports(
      [beeline(), kcell()].map(decodeReport),
      outsideNodes(checkJson(), "check.json"),
    );
    expect(Object.fromEntries(joined.nodes.map((n) => [n.node.name, n.verdict]))).toEqual({
      "do-fra1-0": "blocked-inside",
      "do-fra1-1": "down",
      "do-fra1-2": "disputed",
      "do-ams3-0": "working",
      "do-ams3-1": "blocked-inside",
    });
    expect(nodesToRotate(joined).map((n) => n.node.name)).toEqual(["do-fra1-0", "do-ams3-1"]);
    expect(joined.warnings).toEqual([]);
  });
});

describe("lifeline blocked", () => {
  it("prints verdicts with reports and networks, and --rotate bumps only blocked nodes, keeping comments", () => {
    const r = runCli("blocked", beeline(), kcell(), "--outside", outsidePath, "--rotate", "--stacks", "aigerim,bob", "--stacks-dir", work);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/do-fra1-0 +203\.0\.113\.10 +stack aigerim +ok +0\/2 reports work +BLOCKED INSIDE +Beeline, Kcell/);
    expect(r.stdout).toMatch(/do-fra1-1 +203\.0\.113\.11 +stack aigerim +FAILED +0\/1 reports work +DOWN +Beeline/);
    expect(r.stdout).toMatch(/do-fra1-2 .* 1\/2 reports work +disputed/);
    expect(r.stdout).toContain("BLOCKED INSIDE: 2 nodes, backed by 2 reports from 2 networks (Beeline, Kcell)");
    expect(r.stdout).toContain("working: 1 node, backed by 1 report from 1 network (Beeline)");
    expect(r.stdout).toContain("not rotated: do-fra1-1 fails from outside too: a cloud problem (look at the provider's console), not a block");
    expect(r.stdout).toContain("not rotated: do-fra1-2: the reports disagree");
    expect(r.stdout).toContain(`Aigerim (stack aigerim): ${aigerimPath}: do-fra1-0 -> generation 1\n  then: npx pulumi up --stack aigerim`);
    expect(r.stdout).toContain("quota: 4 reserved IPs during the update (3 + 1 while the old address is released), OVER the limit of 3");
    expect(r.stdout).toContain(`Bob (stack bob): ${bobPath}: do-ams3-1 -> generation 3\n  then: npx pulumi up --stack bob`);
    expect(r.stdout).toContain("quota: 3 reserved IPs during the update (2 + 1 while the old address is released), within the limit of 3");

    const aigerim = readFileSync(aigerimPath, "utf8");
    expect(parse(aigerim).config["lifeline:fleet"].rotations).toEqual({ "do-fra1-0": 1 });
    expect(aigerim).toContain("# Aigerim's stack: keep this comment");
    expect(aigerim).toContain("openPorts: [ 443, 8443 ] # found by scan");
    const bob = readFileSync(bobPath, "utf8");
    expect(parse(bob).config["lifeline:fleet"].rotations).toEqual({ "do-ams3-1": 3 });
    expect(bob).toContain("do-ams3-1: 3 # blocked in May");
  });

  it("refuses a changed code, naming which, and leaves every stack file as it was", () => {
    const good = kcell();
    const tampered = `${good.slice(0, 12)}${good[12] === "A" ? "B" : "A"}${good.slice(13)}`;
    const before = readFileSync(aigerimPath, "utf8");
    const r = runCli("blocked", beeline(), tampered, "--outside", outsidePath, "--rotate", "--stacks", "aigerim,bob", "--stacks-dir", work);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`lifeline: report code 2 (${tampered.slice(0, 10)}…): the code's checksum does not match: it was changed or cut in copying (ask the sender to copy the whole code again)\n`);
    expect(readFileSync(aigerimPath, "utf8")).toBe(before);
  });

  it("finds a node's stack by name when check read outputs files, and refuses a name two stacks share", () => {
    writeFileSync(outsidePath, checkJson().replace(/"stack (aigerim|bob)"/g, '"out/$1.json"'));
    const ok = runCli("blocked", beeline(), "--outside", outsidePath, "--rotate", "--stacks", "aigerim,bob", "--stacks-dir", work);
    expect(ok.code).toBe(0);
    // Beeline's report alone: do-fra1-2 fails there too, so it is blocked inside as well.
    expect(parse(readFileSync(aigerimPath, "utf8")).config["lifeline:fleet"].rotations).toEqual({ "do-fra1-0": 1, "do-fra1-2": 1 });
    writeFileSync(aigerimPath, stackText("Aigerim", "fra1", 3, ""));
    writeFileSync(bobPath, stackText("Bob", "ams3", 2, "    rotations:\n      do-ams3-1: 2 # blocked in May\n"));
    writeFileSync(join(work, "Pulumi.carol.yaml"), stackText("Carol", "fra1", 1, ""));
    const twice = runCli("blocked", beeline(), "--outside", outsidePath, "--rotate", "--stacks", "aigerim,bob,carol", "--stacks-dir", work);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("do-fra1-0 is a node of aigerim and carol: run `lifeline check --stacks` outside so each link names its stack");
    expect(readFileSync(aigerimPath, "utf8")).not.toContain("rotations");
    expect(readFileSync(bobPath, "utf8")).toContain("do-ams3-1: 2 # blocked in May");
  });

  it("says what is missing: the outside check, the stacks for --rotate, a stack a node is in", () => {
    expect(runCli("blocked", beeline()).stderr).toContain("give --outside FILE: the output of `lifeline check --json` run outside");
    expect(runCli("blocked", beeline(), "--outside", outsidePath, "--rotate").stderr).toContain("--rotate needs --stacks a,b");
    const r = runCli("blocked", beeline(), "--outside", outsidePath, "--rotate", "--stacks", "aigerim", "--stacks-dir", work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nothing was rotated:\n  do-ams3-1 is in stack bob, which --stacks does not name");
    expect(readFileSync(aigerimPath, "utf8")).not.toContain("rotations");
  });
});
