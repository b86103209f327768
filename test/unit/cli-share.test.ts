import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./support/fixtures";
import { editedOutputs, exampleOutputFiles } from "./support/share-fixtures";

let dir: string;
let files: string[];
let json: Record<string, string>;
let work: string;
beforeAll(async () => {
  ({ dir, files, json } = await exampleOutputFiles());
  work = mkdtempSync(join(tmpdir(), "lifeline-cli-share-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** The organizer's home for these tests: the share key's default place is under it. */
const home = () => join(work, "home");
function run(command: string, args: string[], env: Record<string, string> = {}) {
  const { LIFELINE_SHARE_KEY_FILE: _, ...inherited } = process.env;
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, cwd: repoRoot, env: { ...inherited, HOME: home(), ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const shareIn = (env: Record<string, string>, ...args: string[]) =>
  run(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), "share", ...args], env);
const share = (...args: string[]) => shareIn({}, ...args);

/** Every secret-bearing string in the outputs: links, passwords, SIP008 passwords. */
function secretsIn(outputs: string): string[] {
  const parsed = JSON.parse(outputs);
  const links = parsed.nodes.flatMap((n: any) => Object.values(n.links).flatMap((l: any) => [l.telegram, l.telegramWeb, l.accessKey, l.url, l.password].filter(Boolean)));
  const sip = parsed.documents.shadowsocksSip008 ? JSON.parse(parsed.documents.shadowsocksSip008).servers.map((s: any) => s.password) : [];
  return [...links, ...sip];
}

describe("lifeline share", () => {
  it("writes batch pages, posts, all.html and outline.json, printing counts and paths but never a link", () => {
    const out = join(work, "written");
    const { code, stdout, stderr } = share("--outputs", ...files, "--out", out);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "all.html", "batch-01.html", "batch-02.html", "batch-03.html", "outline.json", "sub",
      "telegram-01.txt", "telegram-02.txt", "telegram-03.txt",
    ]);
    // One subscription a batch: its list and header values, and SIP008 where it has Shadowsocks; owner-only.
    const subs = readdirSync(join(out, "sub"));
    expect(subs.filter((f) => /^[A-Za-z0-9_-]{22}$/.test(f))).toHaveLength(3);
    expect(subs.filter((f) => f.endsWith(".headers.json"))).toHaveLength(3);
    expect(statSync(join(out, "sub")).mode & 0o777).toBe(0o700);
    for (const f of subs) expect(statSync(join(out, "sub", f)).mode & 0o777).toBe(0o600);
    expect(stdout).toContain("6 nodes from 2 stacks, 1 reserved (on no page: --reserved writes them); 3 batch pages of 2 nodes; each other node on 1-2 pages");
    expect(stdout).toContain(`wrote ${join(out, "all.html")} (organizers only: never hand it out)`);
    const key = join(home(), ".config", "lifeline", "share-key");
    expect(stdout).toContain(`made a new share key: ${key}`);
    const secrets = [...secretsIn(json["example-do"]!), ...secretsIn(json["example-aws"]!)];
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(stdout + stderr).not.toContain(secret);
    expect(stdout).not.toMatch(/t\.me|tg:\/\/|ss:\/\/|socks5h:|http:\/\//);
    // Secrets stay readable by the organizer only.
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "batch-01.html")).mode & 0o777).toBe(0o600);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(join(home(), ".config", "lifeline")).mode & 0o777).toBe(0o700);
    // A second run reuses the key in its place: the same pages, no new key.
    const again = share("--outputs", ...files, "--out", join(work, "again"));
    expect(again.stdout).not.toContain("made a new share key");
    for (const page of ["batch-01.html", "batch-03.html", "all.html"]) {
      expect(readFileSync(join(work, "again", page), "utf8")).toBe(readFileSync(join(out, page), "utf8"));
    }
  });

  it("writes outline.json: SIP008 with every Shadowsocks node of the merged fleet", () => {
    const out = join(work, "outline");
    expect(share("--outputs", ...files, "--out", out, "--reserve", "0").code).toBe(0);
    const outline = JSON.parse(readFileSync(join(out, "outline.json"), "utf8"));
    const ssNodes = files.flatMap((f) => JSON.parse(readFileSync(f, "utf8")).nodes.filter((n: any) => n.links.shadowsocks));
    expect(ssNodes.length).toBeGreaterThan(0);
    expect(outline.version).toBe(1);
    expect(outline.servers.map((s: any) => `${s.server}:${s.server_port}`)).toEqual(ssNodes.map((n: any) => `${n.address}:8443`));
    for (const [i, s] of outline.servers.entries()) expect(ssNodes[i].links.shadowsocks.accessKey).toContain(`@${s.server}:${s.server_port}#${s.remarks}`);
  });

  it("names the file and field of bad input, exits 1 without a stack trace, and writes nothing", () => {
    const inputs = mkdtempSync(join(work, "bad-"));
    const bad = join(inputs, "aigerim.json");
    writeFileSync(bad, editedOutputs(json["example-do"]!, (o) => (o.nodes[2].links.mtproto.telegram = 42)));
    const out = join(inputs, "out");
    const { code, stdout, stderr } = share("--outputs", bad, join(inputs, "missing.json"), "--out", out);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "2 problems in the stack outputs, nothing was written:\n" +
        `  - ${bad}: nodes[2].links.mtproto.telegram: Invalid input: expected string, received number\n` +
        `  - ${join(inputs, "missing.json")}: no such file\n`,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(inputs)).toEqual(["aigerim.json"]);
  });

  it("warns about a stack with no nodes and a relay kind it does not know, and goes on", () => {
    const inputs = mkdtempSync(join(work, "warn-"));
    const empty = join(inputs, "empty.json");
    writeFileSync(empty, JSON.stringify({ nodes: [], summary: {}, documents: {} }));
    const newer = join(inputs, "newer.json");
    writeFileSync(newer, editedOutputs(json["example-do"]!, (o) => (o.nodes[0].links.wireguard = { config: "[Interface]", transport: "encrypted" })));
    const { code, stdout } = share("--outputs", empty, newer, "--out", join(inputs, "out"), "--reserve", "0");
    expect(code).toBe(0);
    expect(stdout).toContain(`warning: ${empty}: the stack has no nodes\n`);
    expect(stdout).toContain(`warning: ${newer}: nodes[0].links.wireguard: relay kind "wireguard" is not known to share; skipped\n`);
    expect(stdout).toContain("note: no Shadowsocks nodes, so no outline.json");
    expect(readdirSync(join(inputs, "out"))).toContain("batch-02.html");
  });

  it("refuses bad arguments with exit code 2 and a plain message", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--outputs", files[0]!, "--batches", "1", "--reserve", "0"], /--batches 1 with 2 nodes a page shows only 2 of the 3 nodes: use --batches 2 or more/],
      [["--outputs", files[0]!, "--lang", "de"], /--lang must be one of ru, kk, en, not "de"/],
      [["--outputs", files[0]!, "--stacks", "a"], /give either --outputs FILE/],
      [["--outputs", files[0]!, "--per-page", "3", "--reserve", "0"], /a page of 3 nodes would show the whole fleet of 3/],
      [["--outputs", files[0]!, "--for", "x", "--period", "soon"], /--period "soon" is not a date/],
      [["--outputs", files[0]!, "--reserve", "1"], /--reserve must be a share from 0 to below 1/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = share(...args, "--out", join(work, "never"));
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(work, "never"))).toBe(false);
  });

  it("shares a one-node stack's outputs with --small-fleet: one page of it, with a warning", () => {
    const inputs = mkdtempSync(join(work, "one-"));
    const solo = join(inputs, "solo.json");
    writeFileSync(solo, editedOutputs(json["example-do"]!, (o) => (o.nodes = o.nodes.slice(0, 1))));
    const address = JSON.parse(readFileSync(solo, "utf8")).nodes[0].address;
    const refused = share("--outputs", solo, "--out", join(inputs, "refused"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("would show the whole fleet of 1: add nodes, or give --small-fleet");
    const out = join(inputs, "out");
    const { code, stdout } = share("--outputs", solo, "--out", out, "--small-fleet");
    expect(code).toBe(0);
    expect(stdout).toContain("warning: --small-fleet: every page shows the whole fleet of 1");
    expect(readdirSync(out).sort()).toEqual(["all.html", "batch-01.html", "sub", "telegram-01.txt"]);
    expect(readFileSync(join(out, "telegram-01.txt"), "utf8")).toContain(`server=${address}&`);
  });

  it("answers one request on stdout alone: the same all week, another the next week", () => {
    const inputs = mkdtempSync(join(work, "answer-"));
    const key = join(inputs, "organizers.key");
    writeFileSync(key, `${"5a".repeat(32)}\n`);
    const ask = (who: string, period: string) => share("--outputs", ...files, "--key", key, "--for", who, "--period", period, "--lang", "kk");
    const first = ask("@aigerim", "2026-11-23");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Осы аптаға арналған прокси/);
    expect(first.stdout.match(/^Сервер \d$/gm)).toEqual(["Сервер 1", "Сервер 2"]);
    expect(first.stderr).toBe(
      "answer for the week of 2026-11-23: 2 of 6 nodes from 2 stacks, 1 reserved; keyed on a handle: from the week's pool of 4 nodes, 1 of 50 handle answers this week (a numeric id, --for id:NUMBER, reaches every node)\n",
    );
    expect(ask("Aigerim", "2026-11-29").stdout).toBe(first.stdout);
    const people = ["@aigerim", "@bolat", "@dana"];
    const changed = people.filter((p) => ask(p, "2026-11-23").stdout !== ask(p, "2026-11-30").stdout);
    expect(changed.length).toBeGreaterThan(0);
  });

  it("reads --stacks through the Pulumi CLI, one `pulumi stack output` per stack", () => {
    const fake = join(work, "fake-pulumi");
    // Stands in for `pulumi stack output --json --show-secrets --stack NAME`: prints NAME's outputs.
    writeFileSync(fake, `#!/bin/sh\n[ "$1 $2 $3 $4 $5" = "stack output --json --show-secrets --stack" ] || exit 9\ncat "${dir}/$6.json"\n`);
    chmodSync(fake, 0o755);
    const out = join(work, "stacks");
    const { code, stdout } = share("--stacks", "example-do,example-aws", "--pulumi", fake, "--out", out, "--key", join(work, "stacks.key"));
    expect(code).toBe(0);
    expect(stdout).toContain("6 nodes from 2 stacks");
    expect(readFileSync(join(out, "all.html"), "utf8")).toContain("stack example-aws");
    const missing = share("--stacks", "nobody", "--pulumi", fake, "--out", out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("stack nobody: `pulumi stack output` failed (exit 1)");
  });

  it("runs as the package's bin and as npm run share", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(pkg.bin.lifeline).toBe("bin/lifeline.js");
    const bin = run(join(repoRoot, pkg.bin.lifeline), ["share", "--outputs", ...files, "--out", join(work, "bin")]);
    expect(bin.code).toBe(0);
    expect(bin.stdout).toContain("6 nodes from 2 stacks");
    const npm = run("npm", ["run", "--silent", "share", "--", "--outputs", files[0]!, "--out", join(work, "npm"), "--reserve", "0"]);
    expect(npm.code).toBe(0);
    expect(npm.stdout).toContain("3 nodes from 1 stack; 2 batch pages of 2 nodes");
  });
});

describe("lifeline share: the share key's one place", () => {
  it("states the place in --help, and takes $LIFELINE_SHARE_KEY_FILE over it", () => {
    const help = share("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("The share key lives in one place: $LIFELINE_SHARE_KEY_FILE, or ~/.config/lifeline/share-key");
    const place = join(work, "elsewhere", "fleet.key");
    const made = shareIn({ LIFELINE_SHARE_KEY_FILE: place }, "--outputs", ...files, "--out", join(work, "env-key"));
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`made a new share key: ${place}`);
    expect(statSync(place).mode & 0o777).toBe(0o600);
  });

  it("refuses loudly to make a second key for a fleet that already has pages, and makes it with --new-key", () => {
    const out = join(work, "keyed");
    const first = join(work, "first.key");
    expect(shareIn({ LIFELINE_SHARE_KEY_FILE: first }, "--outputs", ...files, "--out", out).code).toBe(0);
    const page = readFileSync(join(out, "batch-01.html"), "utf8");
    // The key is not where this run looks (another machine, another HOME): its pages are in out.
    const second = join(work, "second.key");
    const refused = shareIn({ LIFELINE_SHARE_KEY_FILE: second }, "--outputs", ...files, "--out", out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `lifeline: WARNING: ${out} already holds pages (all.html, batch-01.html, batch-02.html, ...) made with a share key, and there is none at ${second}. ` +
        `A new key would reshuffle every batch and every answer already sent. Put the fleet's key at ${second} (or give --key FILE); if it is lost for good, give --new-key.\n`,
    );
    expect(existsSync(second)).toBe(false);
    expect(readFileSync(join(out, "batch-01.html"), "utf8")).toBe(page);
    // An answer would change just the same.
    expect(shareIn({ LIFELINE_SHARE_KEY_FILE: second }, "--outputs", ...files, "--out", out, "--for", "@dana").code).toBe(1);
    const forced = shareIn({ LIFELINE_SHARE_KEY_FILE: second }, "--outputs", ...files, "--out", out, "--new-key");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`WARNING: making a SECOND share key for a fleet that already has pages in ${out}`);
    expect(existsSync(second)).toBe(true);
  });

  it("keeps keys and outputs files out of git", () => {
    for (const path of ["share.key", "outputs/aigerim.json", "out/share/batch-01.html", "stacks/organizers.key"]) {
      expect(run("git", ["check-ignore", "--no-index", "-q", path]).code, path).toBe(0);
    }
    expect(run("git", ["check-ignore", "--no-index", "-q", "stacks/Pulumi.aigerim.yaml"]).code).toBe(1);
  });

  it("points to a key an older version made beside the outputs, instead of making a second", () => {
    const inputs = mkdtempSync(join(work, "older-"));
    const copy = join(inputs, "aigerim.json");
    writeFileSync(copy, json["example-do"]!);
    writeFileSync(join(inputs, "share.key"), `${"ab".repeat(32)}\n`);
    const place = join(work, "older-home", "share-key");
    const { code, stderr } = shareIn({ LIFELINE_SHARE_KEY_FILE: place }, "--outputs", copy, "--out", join(inputs, "out"));
    expect(code).toBe(1);
    expect(stderr).toContain(`WARNING: no share key at ${place}, but an older one is at ${join(inputs, "share.key")}`);
    expect(stderr).toContain(`mkdir -p ${join(work, "older-home")} && mv ${join(inputs, "share.key")} ${place}`);
    expect(existsSync(join(inputs, "out"))).toBe(false);
  });
});

describe("lifeline share --for-file", () => {
  it("answers 2,000 requesters in one run, each answer the one --for gives", () => {
    const key = join(work, "bulk.key");
    writeFileSync(key, `${"5a".repeat(32)}\n`);
    const handles = Array.from({ length: 2000 }, (_, i) => `@person_${i}`);
    const list = join(work, "handles.txt");
    writeFileSync(list, `# requests of the week\n${handles.join("\n")}\n\n`);
    const started = performance.now();
    const bulk = share("--outputs", ...files, "--key", key, "--for-file", list, "--period", "2026-11-23", "--handle-limit", "100000");
    const seconds = (performance.now() - started) / 1000;
    console.log(`--for-file with ${handles.length} handles: ${seconds.toFixed(2)} s in one process`);
    expect(bulk.code).toBe(0);
    expect(bulk.stderr).toBe("answers for the week of 2026-11-23: 2000 requesters, 2 nodes each of 6 nodes from 2 stacks, 1 reserved; 2000 of 100000 handle answers this week, from the week's pool of 4 nodes (a numeric id, id:NUMBER, reaches every node)\n");
    const lines = bulk.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.for)).toEqual(handles);
    for (const i of [0, 777, 1999]) {
      const one = share("--outputs", ...files, "--key", key, "--for", handles[i]!, "--period", "2026-11-23");
      expect(lines[i].answer).toBe(one.stdout);
    }
    // Requesters get different nodes: the answers are not all one.
    expect(new Set(lines.map((l) => l.answer)).size).toBeGreaterThan(3);
    expect(seconds).toBeLessThan(30);
  });

  it("names the lines that hold no requester, and makes no key", () => {
    const list = join(work, "bad-handles.txt");
    writeFileSync(list, "@aigerim\n@\n@bolat\n  @  \n");
    const place = join(work, "never.key");
    const { code, stdout, stderr } = shareIn({ LIFELINE_SHARE_KEY_FILE: place }, "--outputs", ...files, "--for-file", list);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`lifeline: ${list}: line 2, 4 names no requester: put one handle or id on each line, e.g. @aigerim\n`);
    expect(existsSync(place)).toBe(false);
    const both = share("--outputs", ...files, "--for", "@a", "--for-file", list);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give either --for one requester or --for-file FILE of them, not both");
  });
});
