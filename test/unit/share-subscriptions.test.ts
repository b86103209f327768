import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { runShare, type ShareCommandOptions } from "../../src/cli/share-command";
import { exampleOutputFiles } from "./support/share-fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fleet, FleetNode } from "../../src/fleet-input/types";
import { sip008Schema } from "../../src/fleet-input/relay-schemas";
import { sip002Link } from "../../src/links/shadowsocks";
import { vlessRealityLink } from "../../src/links/vless";
import { shareFiles, type ShareOptions } from "../../src/share/share-files";
import { batchExpiry, importableLinks, parseSubscriptionBase, subscriptionLinks, subscriptionToken } from "../../src/share/subscriptions";

/** A node with every relay kind; its secrets drawn from `seed`, so a rotation changes them. */
function node(address: string, seed: string, source = "a.json"): FleetNode {
  return {
    source,
    name: `do-fra1-${address}`,
    provider: "digitalocean",
    region: "fra1",
    address,
    relays: [
      { kind: "mtproto", transport: "encrypted", telegram: `tg://proxy?server=${address}&port=443&secret=ee${seed}`, telegramWeb: `https://t.me/proxy?server=${address}&port=443&secret=ee${seed}` },
      { kind: "shadowsocks", transport: "encrypted", accessKey: sip002Link({ server: address, port: 8388, method: "chacha20-ietf-poly1305", password: `pw${seed}`, name: "fra1-0" }) },
      {
        kind: "vless",
        transport: "encrypted",
        vless: vlessRealityLink({ userId: `0000${seed}`.slice(-8) + "-0000-4000-8000-000000000000", address, port: 443, serverName: "www.example.com", publicKey: `pk${seed}`, shortId: "ab", flow: "xtls-rprx-vision", label: "fra1-0" }),
      },
      { kind: "http", transport: "plaintext", warning: "not encrypted", host: address, port: "8080", user: "u", password: `hp${seed}` },
    ],
  };
}

/** `expires` null: outputs of a program older than the summary's `expires`. */
function fleetOf(nodes: FleetNode[], expires: string | null = "2027-01-31"): Fleet {
  return { sources: ["a.json"], stacks: [{ source: "a.json", ...(expires !== null ? { expires } : {}), nodes: [] }], nodes, shadowsocksServers: [], warnings: [] };
}

const addresses = (n: number) => Array.from({ length: n }, (_, i) => `198.51.100.${i + 1}`);
const options = (key: Buffer, extra: Partial<ShareOptions> = {}): ShareOptions => ({ batches: 4, perPage: 2, lang: "en", key, reservedShare: 0, ...extra });
const subs = (files: { name: string; content: string }[]) => files.filter((f) => /^sub\/[A-Za-z0-9_-]{22}$/.test(f.name));
const decoded = (list: string) => Buffer.from(list, "base64").toString("utf8").split("\n");
const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));
const seedArb = fc.stringMatching(/^[a-f0-9]{6,12}$/);

describe("subscription addresses", () => {
  it("are 22 base64url characters, differ across batches and across keys", () => {
    fc.assert(
      fc.property(keyArb, keyArb, fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }), (k1, k2, a, b) => {
        expect(subscriptionToken(k1, a)).toMatch(/^[A-Za-z0-9_-]{22}$/);
        if (a !== b) expect(subscriptionToken(k1, a)).not.toBe(subscriptionToken(k1, b));
        if (!k1.equals(k2)) expect(subscriptionToken(k1, a)).not.toBe(subscriptionToken(k2, a));
      }),
      { numRuns: 300 },
    );
  });

  it("survive rotation: a node's new address and secrets leave every batch's file name as it was", () => {
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 3, max: 8 }), seedArb, seedArb, fc.nat(), (key, n, before, after, which) => {
        const old = addresses(n).map((a) => node(a, before));
        const rotated = [...old];
        const at = which % n;
        rotated[at] = node(`203.0.113.${at + 1}`, after);
        const names = (nodes: FleetNode[]) => subs(shareFiles(fleetOf(nodes), options(key)).files).map((f) => f.name);
        expect(names(rotated)).toEqual(names(old));
        const files = shareFiles(fleetOf(rotated), options(key)).files;
        // The old node's links are gone from every subscription; the new node's are in some.
        const all = subs(files).flatMap((f) => decoded(f.content));
        for (const link of importableLinks(old[at]!)) if (before !== after) expect(all).not.toContain(link);
        for (const link of importableLinks(rotated[at]!)) expect(all).toContain(link);
      }),
      { numRuns: 25 },
    );
  });
});

describe("subscription documents", () => {
  it("hold exactly their batch's vless and ss links, base64 of the newline-joined list; no node of another batch", () => {
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 3, max: 10 }), fc.integer({ min: 1, max: 2 }), (key, n, perPage) => {
        const nodes = addresses(n).map((a, i) => node(a, `beef${i}`));
        const batches = Math.ceil(n / perPage) + 1;
        const { files, pages } = shareFiles(fleetOf(nodes), options(key, { batches, perPage }));
        expect(subs(files)).toHaveLength(pages.length);
        pages.forEach((page, i) => {
          const file = files.find((f) => f.name === `sub/${subscriptionToken(key, i + 1)}`)!;
          const expected = page.flatMap((a) => importableLinks(nodes.find((x) => x.address === a)!));
          expect(file.content).toBe(Buffer.from(expected.join("\n")).toString("base64"));
          expect(decoded(file.content)).toEqual(expected);
          expect(decoded(file.content).every((l) => l.startsWith("vless://") || l.startsWith("ss://"))).toBe(true);
          const sip = JSON.parse(files.find((f) => f.name === `sub/${subscriptionToken(key, i + 1)}.json`)!.content);
          expect(sip008Schema.safeParse(sip).success).toBe(true);
          expect(sip.servers.map((s: { server: string }) => s.server).sort()).toEqual([...page].sort());
          for (const s of sip.servers) expect(Object.keys(s).sort()).toEqual(["id", "method", "password", "remarks", "server", "server_port"]);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("leave out reserved nodes", () => {
    const nodes = addresses(10).map((a, i) => node(a, `c0de${i}`));
    const key = randomBytes(32);
    const { files, pages } = shareFiles(fleetOf(nodes), options(key, { reservedShare: 0.3, batches: 4 }));
    const onPages = new Set(pages.flat());
    const kept = nodes.filter((x) => !onPages.has(x.address));
    expect(kept.length).toBeGreaterThan(0);
    const all = subs(files).flatMap((f) => decoded(f.content)).join("\n");
    for (const k of kept) expect(all).not.toContain(`@${k.address}:`);
    for (const a of onPages) expect(all).toContain(`@${a}:`);
  });

  it("carry the Clash subscription-userinfo with the end of the expires day, and the refresh interval in hours", () => {
    const key = randomBytes(32);
    const files = shareFiles(fleetOf(addresses(4).map((a) => node(a, "aa"))), options(key)).files;
    const headers = JSON.parse(files.find((f) => f.name === `sub/${subscriptionToken(key, 1)}.headers.json`)!.content);
    // 2027-01-31 ends at 2027-02-01T00:00:00Z.
    expect(headers).toEqual({ "subscription-userinfo": `upload=0; download=0; total=0; expire=${Date.UTC(2027, 1, 1) / 1000}`, "profile-update-interval": "6" });
    expect(batchExpiry([node("198.51.100.1", "aa")], fleetOf([], null).stacks)).toBe(0);
  });

  it("change no page or post without --subscription-base", () => {
    const key = randomBytes(32);
    const files = shareFiles(fleetOf(addresses(4).map((a) => node(a, "aa"))), options(key)).files;
    for (const f of files.filter((f) => !f.name.startsWith("sub/"))) expect(f.content).not.toMatch(/hiddify:|v2rayng:|ssconf:|\/sub\//);
  });
});

describe("--subscription-base and import links", () => {
  it("refuses what is not a plain https URL", () => {
    for (const bad of ["http://example.org/", "example.org", "https://u:p@example.org/", "https://example.org/?a=1", "https://example.org/#x", "ftp://example.org/"]) {
      expect(parseSubscriptionBase(bad)).toHaveProperty("problem");
    }
    expect((parseSubscriptionBase("https://example.org/s") as URL).href).toBe("https://example.org/s/");
  });

  it("are well formed and parse back to the subscription URL", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9 ._~%&?=#+-]{1,12}$/);
    fc.assert(
      fc.property(fc.domain(), fc.array(segment, { maxLength: 3 }), keyArb, fc.integer({ min: 1, max: 99 }), (host, path, key, batch) => {
        const base = parseSubscriptionBase(`https://${host}/${path.map(encodeURIComponent).join("/")}`);
        if ("problem" in base) throw new Error(base.problem);
        const token = subscriptionToken(key, batch);
        const links = subscriptionLinks(base, { token, sip008: "{}" });
        const url = new URL(links.url);
        expect(url.protocol).toBe("https:");
        expect(url.pathname.endsWith(`/sub/${token}`)).toBe(true);
        expect(url.href.startsWith(base.href)).toBe(true);
        const v2 = new URL(links.v2rayng);
        expect(v2.protocol).toBe("v2rayng:");
        expect(v2.searchParams.get("url")).toBe(links.url);
        expect([...v2.searchParams.keys()]).toEqual(["url"]);
        expect(links.hiddify.startsWith("hiddify://import/")).toBe(true);
        expect(new URL(links.hiddify.slice("hiddify://import/".length)).href).toBe(links.url);
        expect(links.hiddify).not.toMatch(/[\s"<>]/);
        const ss = new URL(links.ssconf!);
        expect(ss.protocol).toBe("ssconf:");
        expect(new URL(`https://${ss.host}${ss.pathname}`).href).toBe(`${links.url}.json`);
      }),
      { numRuns: 300 },
    );
  });

  it("give each mirror the same subscription path under its own base, escaped as the base is", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9 ._~%&?=#+-]{1,12}$/);
    const baseArb = fc.tuple(fc.domain(), fc.array(segment, { maxLength: 2 })).map(([host, path]) => parseSubscriptionBase(`https://${host}/${path.map(encodeURIComponent).join("/")}`) as URL);
    fc.assert(
      fc.property(baseArb, fc.array(baseArb, { minLength: 1, maxLength: 3 }), keyArb, fc.integer({ min: 1, max: 99 }), (base, mirrors, key, batch) => {
        const token = subscriptionToken(key, batch);
        const links = subscriptionLinks(base, { token }, mirrors);
        expect(links.mirrors).toHaveLength(mirrors.length);
        links.mirrors.forEach((m, i) => {
          expect(m).toBe(`${mirrors[i]!.href}sub/${token}`);
          expect(new URL(m).href).toBe(m);
          expect(m).not.toMatch(/[\s"<>]/);
        });
        expect(links.ssconf).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("put the URL, its QR code and the one-tap imports on the batch page and the URL in the post, in ru, kk and en", () => {
    const key = randomBytes(32);
    const base = parseSubscriptionBase("https://cdn.example.org/a b/") as URL;
    const { files } = shareFiles(fleetOf(addresses(4).map((a) => node(a, "aa"))), options(key, { subscriptionBase: base }));
    const links = subscriptionLinks(base, { token: subscriptionToken(key, 1), sip008: "{}" });
    expect(links.url).toBe(`https://cdn.example.org/a%20b/sub/${subscriptionToken(key, 1)}`);
    const page = files.find((f) => f.name === "batch-01.html")!.content;
    for (const href of [links.hiddify, links.v2rayng, links.ssconf!, links.url]) expect(page).toContain(`href="${href.replace(/&/g, "&amp;")}"`);
    expect(page).toContain("<svg");
    for (const words of ["Import once, and the app follows the servers when they change", "Импортируйте один раз", "Бір рет импорттаңыз"]) expect(page).toContain(words);
    const post = files.find((f) => f.name === "telegram-01.txt")!.content;
    expect(post).toContain(`Import once, and the app follows the servers when they change:\n${links.url}`);
  });
});

describe("share --subscription-base", () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    ({ files } = await exampleOutputFiles());
    dir = mkdtempSync(join(tmpdir(), "subscription-base-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (out: string, subscriptionBase: string) => {
    const info: string[] = [];
    const options: ShareCommandOptions = { outputs: files, out, stacksDir: dir, today: "2026-12-01", handlePool: "4", handleLimit: "50", perPage: "2", lang: "en", key: join(dir, "k"), period: "2026-12-01", nodes: "2", reserve: "0", subscriptionBase, runPulumi: () => ({ status: 1, stdout: "", stderr: "" }) as never };
    runShare(options, { info: (t) => info.push(t), answer: () => undefined });
    return info;
  };

  it("refuses a base that is not https, naming the option and the fix, and writes nothing", () => {
    const out = join(dir, "refused");
    expect(() => run(out, "http://cdn.example.org/")).toThrow("--subscription-base must start with https:// (apps refuse or warn on plain http, and the censor reads it): give the https address the sub/ folder will be served from");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "k"))).toBe(false);
  });

  it("puts each batch's subscription URL on its page", () => {
    const out = join(dir, "written");
    run(out, "https://cdn.example.org/x");
    const page = readFileSync(join(out, "batch-01.html"), "utf8");
    expect(page).toMatch(/href="https:\/\/cdn\.example\.org\/x\/sub\/[A-Za-z0-9_-]{22}"/);
    expect(page).toMatch(/href="v2rayng:\/\/install-config\?url=https%3A%2F%2Fcdn\.example\.org%2Fx%2Fsub%2F[A-Za-z0-9_-]{22}"/);
  });
});
