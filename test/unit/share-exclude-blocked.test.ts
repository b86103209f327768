import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runShare } from "../../src/cli/share-command";
import { fleetFromOutputFiles } from "../../src/fleet-input/read-inputs";
import { encodeReport, nodeTag, type ReportedRelay } from "../../src/inside/report-code";
import { repoRoot } from "./support/fixtures";
import { exampleOutputFiles } from "./support/share-fixtures";

// `share --exclude-blocked`: pages and --for answers leave out the nodes reports from inside
// find blocked, from codes on the command line or in a file.
let dir: string;
let files: string[];
let addresses: string[];
beforeAll(async () => {
  ({ dir, files } = await exampleOutputFiles());
  addresses = fleetFromOutputFiles(files).nodes.map((n) => n.address);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const share = (...args: string[]) => spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), "share", ...args], { encoding: "utf8", cwd: dir });
const fails: ReportedRelay[] = [{ kind: "mtproto", status: "no-connection" }];
const works: ReportedRelay[] = [{ kind: "mtproto", status: "ok", ms: 100 }];

/** A code where the first node fails, the second works, and the third is disputed with `other`. */
function code(salt: string, third: ReportedRelay[]): string {
  const seen: Array<[string, ReportedRelay[]]> = [[addresses[0]!, fails], [addresses[1]!, works], [addresses[2]!, third]];
  return encodeReport({ salt, checkedAt: 1_800_000_000, network: "Tele2", nodes: seen.map(([a, relays]) => ({ tag: nodeTag(salt, a), relays })) });
}

/** Every file share wrote, sub/<token> lists decoded from base64. */
function writtenFiles(out: string): string[] {
  return readdirSync(out, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(out, f)).isFile())
    .map((f) => (/^sub\/[A-Za-z0-9_-]{22}$/.test(f) ? Buffer.from(readFileSync(join(out, f), "utf8"), "base64").toString("utf8") : readFileSync(join(out, f), "utf8")));
}

describe("share --exclude-blocked", () => {
  it("writes no page, post or subscription with a blocked node; a disputed one stays", () => {
    const out = join(dir, "pages");
    const r = share("--outputs", ...files, "--out", out, "--key", join(dir, "k"), "--per-page", "1", "--exclude-blocked", code("010203", fails), code("040506", works));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`left out, blocked inside by the reports: ${fleetFromOutputFiles(files).nodes[0]!.name}\n`);
    // Subscriptions too (sub/), their base64 lists decoded.
    const written = writtenFiles(out).join("\n");
    expect(written).not.toContain(addresses[0]);
    for (const kept of addresses.slice(1)) expect(written).toContain(kept);
  });

  it("leaves blocked nodes out of --for answers, codes read from a file", () => {
    const codes = join(dir, "codes.txt");
    writeFileSync(codes, `# from Almaty\n${code("0a0b0c", fails)}\n`);
    // In-process: ten answers through the CLI's own runShare, without ten tsx start-ups.
    const answer = (who: string, exclude?: string[]) => {
      let text = "";
      runShare(
        { outputs: files, out: join(dir, "unused"), stacksDir: dir, today: "2026-12-01", handlePool: "4", handleLimit: "50", perPage: "2", lang: "en", key: join(dir, "k"), for: who, period: "2026-12-01", nodes: "2", reserve: "0", runPulumi: () => ({ status: 1, stdout: "", stderr: "" }) as never, ...(exclude ? { excludeBlocked: exclude } : {}) },
        { info: () => undefined, answer: (t) => (text += t) },
      );
      return text;
    };
    // A fixed key and numeric ids (keyed on the id, so any node may be handed out): the same
    // answers every run, unlike handles, whose answers come from a small weekly pool.
    writeFileSync(join(dir, "k"), `${"5a".repeat(32)}\n`, { mode: 0o600 });
    const whos = Array.from({ length: 20 }, (_, i) => `id:${1001 + i}`);
    for (const who of whos) expect(answer(who, [codes])).not.toContain(addresses[0]);
    // Without the option the same requesters are handed that node: the filter is what keeps it out.
    const handedOut = whos.filter((who) => answer(who).includes(addresses[0]!));
    expect(handedOut.length).toBeGreaterThan(0);
  });

  it("refuses a cut code and writes nothing", () => {
    const out = join(dir, "none");
    const cut = code("0d0e0f", fails).slice(0, 20);
    const r = share("--outputs", ...files, "--out", out, "--exclude-blocked", cut);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lifeline: report code 1 \(.{10}…\): the code's checksum does not match: it was changed or cut in copying/);
    expect(() => readdirSync(out)).toThrow();
  });
});
