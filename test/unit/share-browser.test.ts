import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetFromOutputFiles } from "../../src/fleet-input/read-inputs";
import { repoRoot } from "./support/fixtures";
import { decodeWholePage, desktop, launchChromium, openOffline, phone } from "./support/headless-chromium";
import { figureQrCodes, firstEncryptedButton, repeatedTexts, visibleControlTexts } from "./support/phone-page-checks";
import { exampleOutputFiles } from "./support/share-fixtures";

// Screenshots stay for people to look at (out/ is not committed); the README shows one.
// The browser's globals that page.evaluate callbacks use (the test itself runs in Node).
declare const document: any;
declare const window: any;
declare const navigator: any;
const shots = join(repoRoot, "out", "share-screenshots");
let inputs: string;
let pagesDir: string;
let browser: Browser;
let pages: string[];
let telegramWebs: string[];
let shadowsocksKeys: string[];

beforeAll(async () => {
  const made = await exampleOutputFiles();
  inputs = made.dir;
  pagesDir = join(inputs, "share");
  const cli = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "src/cli/main.ts"), "share", "--outputs", ...made.files, "--out", pagesDir], { encoding: "utf8" });
  if (cli.status !== 0) throw new Error(`share failed: ${cli.stderr}`);
  pages = readdirSync(pagesDir).filter((f) => f.endsWith(".html")).sort();
  const relays = fleetFromOutputFiles(made.files).nodes.flatMap((n) => n.relays);
  telegramWebs = relays.flatMap((r) => (r.kind === "mtproto" ? [r.telegramWeb] : []));
  shadowsocksKeys = relays.flatMap((r) => (r.kind === "shadowsocks" ? [r.accessKey] : []));
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(inputs, { recursive: true, force: true });
});

const urlOf = (page: string) => pathToFileURL(join(pagesDir, page)).href;

describe("share pages in headless Chromium, opened from disk with the network off", () => {
  it("are the batch pages and all.html the command wrote", () => {
    expect(pages).toEqual(["all.html", "batch-01.html", "batch-02.html", "batch-03.html"]);
  });

  it("make no network request: the only request is the page's own file", async () => {
    for (const name of pages) {
      for (const viewport of [phone, desktop]) {
        const { page, requests } = await openOffline(browser, urlOf(name), viewport);
        expect(requests, `${name} at ${viewport.name}`).toEqual([urlOf(name)]);
        await page.close();
      }
    }
  }, 120_000);

  it("would see a request if a page made one (the check is not blind)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeline-leaky-"));
    writeFileSync(join(dir, "leaky.html"), '<!doctype html><p>x</p><img src="http://198.18.0.1/pixel.png">');
    const url = pathToFileURL(join(dir, "leaky.html")).href;
    const { page, requests } = await openOffline(browser, url, phone);
    expect(requests).toEqual([url, "http://198.18.0.1/pixel.png"]);
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("show QR codes that zbarimg decodes to exactly the link printed beside each, at phone and desktop size", async () => {
    for (const name of pages) {
      for (const viewport of [phone, desktop]) {
        const { page } = await openOffline(browser, urlOf(name), viewport);
        const full = join(shots, `${name.replace(".html", "")}-${viewport.name}-full.png`);
        await page.screenshot({ path: full as `${string}.png`, fullPage: true });
        const codes = await figureQrCodes(page, join(shots, `${name.replace(".html", "")}-${viewport.name}`));
        // One QR code for each one-tap relay (Telegram, Outline); each of those has a button.
        expect(codes.length).toBe((await page.$$("a.btn")).length);
        expect(codes.length).toBeGreaterThan(0);
        for (const [i, { caption, decoded }] of codes.entries()) expect(decoded, `${name} ${viewport.name} QR ${i}`).toEqual([caption]);
        const printed = codes.map((c) => c.caption);
        // And in screenshots of the whole page, as a phone's camera would see the screen.
        const whole = await decodeWholePage(page, join(shots, `${name.replace(".html", "")}-${viewport.name}`));
        expect([...whole].sort(), `${name} ${viewport.name} whole page`).toEqual([...new Set(printed)].sort());
        await page.close();
      }
    }
  }, 240_000);

  it("fit a phone's width, and switch between Russian, Kazakh and English with anchors alone", async () => {
    const titles = { ru: "Прокси для связи", kk: "Байланысқа арналған прокси", en: "Proxies to stay connected" };
    for (const name of pages) {
      const { page } = await openOffline(browser, urlOf(name), phone);
      for (const lang of ["ru", "kk", "en"] as const) {
        if (lang !== "ru") await page.goto(`${urlOf(name)}#${lang}`);
        // In every language: one long word in one of them widens the page and zooms it out.
        expect(await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]), `${name}#${lang}`).toEqual([phone.width, phone.width]);
        const text = await page.evaluate(() => document.querySelector("main")!.innerText);
        expect(text, `${name}#${lang}`).toContain(titles[lang]);
        for (const other of ["ru", "kk", "en"] as const) if (other !== lang) expect(text).not.toContain(titles[other]);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(shots, `${name.replace(".html", "")}-phone-${lang}.png`) as `${string}.png` });
      }
      await page.close();
    }
  }, 120_000);

  it("hold a working encrypted option on a phone's first screen (360x740), in every language", async () => {
    for (const name of pages.filter((p) => p.startsWith("batch-"))) {
      for (const lang of ["ru", "kk", "en"] as const) {
        const { page } = await openOffline(browser, urlOf(name), phone);
        await page.goto(`${urlOf(name)}#${lang}`);
        await page.evaluate(() => window.scrollTo(0, 0));
        const first = await firstEncryptedButton(page);
        // Not zoomed out: 360 CSS pixels across, so 740 down is the whole first screen.
        expect(first, `${name}#${lang}`).toMatchObject({ width: phone.width, scale: 1 });
        expect(first.top, `${name}#${lang}`).toBeGreaterThanOrEqual(0);
        expect(first.bottom, `${name}#${lang}`).toBeLessThanOrEqual(phone.height);
        expect(first.tappable, `${name}#${lang}`).toBe(true);
        // Working: a real MTProto link of the fleet (the node tests connect through these).
        expect(telegramWebs, `${name}#${lang}`).toContain(first.href);
        await page.close();
      }
    }
  }, 120_000);

  it("show no two links or buttons with the same text, in every language", async () => {
    for (const name of pages) {
      for (const lang of ["ru", "kk", "en"] as const) {
        const { page } = await openOffline(browser, urlOf(name), phone);
        await page.goto(`${urlOf(name)}#${lang}`);
        const texts = await visibleControlTexts(page);
        expect(texts.length, name).toBeGreaterThan(3);
        expect(repeatedTexts(texts), `${name}#${lang}`).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  it("copy the Outline key with its copy button, offline", async () => {
    const withOutline = pages.filter((name) => readFileSync(join(pagesDir, name), "utf8").includes('data-kind="shadowsocks"'));
    expect(withOutline.length).toBeGreaterThan(0);
    await browser.defaultBrowserContext().overridePermissions("file://", ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
    for (const name of withOutline) {
      const { page, requests } = await openOffline(browser, urlOf(name), phone, { javascript: true });
      const buttons = await page.$$("button.copy");
      expect(buttons.length, name).toBeGreaterThan(0);
      for (const button of buttons) {
        await button.click();
        await page.waitForSelector("button.copy.copied");
        const field = await button.evaluate((b: any) => document.getElementById(b.getAttribute("data-copy")).value);
        expect(shadowsocksKeys, name).toContain(field);
        expect(await page.evaluate(() => navigator.clipboard.readText()), name).toBe(field);
        await button.evaluate((b: any) => (b.className = "copy"));
      }
      expect(requests, name).toEqual([urlOf(name)]);
      await page.close();
    }
  }, 120_000);
});
