import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenWordsIn } from "../../src/share/people-facing-words";
import { parseVlessLink } from "../peers/vless-link";
import { baseFleet, repoRoot } from "./support/fixtures";
import { decodeQrCodes, launchChromium, openOffline, phone } from "./support/headless-chromium";
import { stackOutputsJson } from "./support/stack-outputs";

// `lifeline share` on the real outputs of a stack whose nodes run vless beside mtproto,
// shadowsocks and socks5, as the program exports them under Pulumi's mocks.
let dir: string;
let outputsFile: string;
let pagesDir: string;
let vlessLinks: string[];

const cli = (...args: string[]) => spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), "share", "--outputs", outputsFile, ...args], { encoding: "utf8" });

beforeAll(async () => {
  const fleet = {
    ...baseFleet(),
    openPorts: [443, 80, 8443, 2053, 9443],
    relays: [
      { kind: "mtproto", port: 443 },
      { kind: "socks5", port: 8443 },
      { kind: "shadowsocks", port: 2053 },
      { kind: "vless", port: 9443, options: { target: { host: "www.example.org" } } },
    ],
    groups: [{ provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 1 }],
  };
  dir = mkdtempSync(join(tmpdir(), "lifeline-share-vless-"));
  outputsFile = join(dir, "vless.json");
  const json = await stackOutputsJson("vless-share", fleet);
  writeFileSync(outputsFile, json);
  vlessLinks = (JSON.parse(json).nodes as Array<{ links: { vless: { vless: string } } }>).map((n) => n.links.vless.vless);
  pagesDir = join(dir, "share");
  const r = cli("--out", pagesDir, "--batches", "2", "--per-page", "1", "--reserve", "0");
  if (r.status !== 0) throw new Error(`share failed: ${r.stderr}`);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(pagesDir, name), "utf8");
const batchPages = ["batch-01.html", "batch-02.html"];
const both = (prefix: "batch" | "telegram") => (prefix === "batch" ? batchPages : ["telegram-01.txt", "telegram-02.txt"]).map(read).join("\n");
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&");

describe("share with vless relays", () => {
  it("reads the vless link from the outputs, marked encrypted", () => {
    expect(vlessLinks).toHaveLength(2);
    for (const link of vlessLinks) expect(parseVlessLink(link)).toMatchObject({ security: "reality", flow: "xtls-rprx-vision", port: 9443 });
    expect(JSON.parse(readFileSync(outputsFile, "utf8")).nodes[0].links.vless.transport).toBe("encrypted");
  });

  it("puts each node's vless card first, with its link and steps for the named apps in ru, kk and en", () => {
    for (const name of batchPages) {
      const cards = [...read(name).matchAll(/ data-kind="([a-z0-9]+)"/g)].map((m) => m[1]);
      expect(cards, name).toEqual(["vless", "mtproto", "shadowsocks", "socks5"]);
    }
    const page = both("batch");
    for (const link of vlessLinks) expect(page).toContain(`href="${link.replace(/&/g, "&amp;")}"`);
    const text = textOf(page);
    for (const app of ["Hiddify", "v2rayNG", "Happ", "Streisand", "v2rayN"]) expect(text).toContain(app);
    expect(text).toContain("Install, or update to the latest version: Android — Hiddify or v2rayNG; iPhone — Hiddify, Happ or Streisand; Windows — v2rayN or Hiddify. Old versions cannot connect.");
    expect(text).toContain("Установите или обновите до последней версии: Android — Hiddify или v2rayNG");
    expect(text).toContain("Соңғы нұсқасын орнатыңыз немесе жаңартыңыз");
    expect(text).toContain("The app must be up to date: old versions cannot connect.");
    expect(forbiddenWordsIn(page)).toEqual([]);
  });

  it("carries the vless link in the Telegram post and in a --for answer, first among the node's ways", () => {
    const post = both("telegram");
    for (const link of vlessLinks) expect(post).toContain(`\n${link}\n`);
    const first = read("telegram-01.txt");
    expect(first.indexOf("VLESS")).toBeLessThan(first.indexOf("https://t.me/proxy"));
    const answer = cli("--for", "@aigerim", "--lang", "kk", "--key", join(dir, "share.key"));
    expect(answer.status, answer.stderr).toBe(0);
    expect(answer.stdout).toContain("Бүкіл телефонға немесе компьютерге VLESS");
    expect(vlessLinks.some((link) => answer.stdout.includes(link))).toBe(true);
    expect(forbiddenWordsIn(`${post}${answer.stdout}`)).toEqual([]);
  });

  describe("in headless Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it("shows each vless link as a QR code that decodes to exactly the link", async () => {
      const decoded: string[] = [];
      for (const name of batchPages) {
        const { page } = await openOffline(browser, pathToFileURL(join(pagesDir, name)).href, phone);
        for (const [i, figure] of (await page.$$("figure")).entries()) {
          const shot = join(dir, `${name}-qr${i}.png`);
          await figure.screenshot({ path: shot as `${string}.png` });
          decoded.push(...decodeQrCodes(shot));
        }
        await page.close();
      }
      for (const link of vlessLinks) expect(decoded).toContain(link);
    }, 120_000);
  });

  it("writes only the expected files", () => {
    expect(readdirSync(pagesDir).sort()).toEqual(["all.html", "batch-01.html", "batch-02.html", "outline.json", "sub", "telegram-01.txt", "telegram-02.txt"]);
  });
});
