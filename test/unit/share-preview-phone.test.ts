import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewFleet } from "../../src/fleet-input/preview-fleet";
import { previewNotice } from "../../src/share/preview-mark";
import { repoRoot } from "./support/fixtures";
import { decodeWholePage, launchChromium, openOffline, phone } from "./support/headless-chromium";
import { figureQrCodes, firstEncryptedButton, repeatedTexts, visibleControlTexts } from "./support/phone-page-checks";

// The page a new organizer first sees: `lifeline share --preview` from the example stack files,
// run through the package's bin, opened in Debian's headless Chromium as a 360x740 phone.
// The browser's globals that page.evaluate callbacks use (the test itself runs in Node).
declare const document: any;

const stacks = ["example-do", "example-aws"];
const work = mkdtempSync(join(tmpdir(), "lifeline-preview-phone-"));
const pagesDir = join(work, "preview");
/** The README's phone screenshot; rewritten only on request, so a test run leaves the tree clean. */
const readmeShot = join(repoRoot, "docs", "share-page-phone.png");
const updateReadmeShot = process.env["LIFELINE_UPDATE_SCREENSHOT"] === "1";
let browser: Browser;
let batchPages: string[];
/** The t.me links of the preview fleet's encrypted MTProto relays, as the fleet data says. */
let encryptedTelegramLinks: string[];

beforeAll(async () => {
  const cli = spawnSync(join(repoRoot, "bin/lifeline.js"), ["share", "--preview", "--stacks", stacks.join(","), "--stacks-dir", join(repoRoot, "stacks"), "--out", pagesDir], {
    encoding: "utf8",
    cwd: work,
    env: { ...process.env, HOME: work, LIFELINE_SHARE_KEY_FILE: join(work, "share-key") },
  });
  if (cli.status !== 0) throw new Error(`share --preview failed: ${cli.stderr}`);
  batchPages = readdirSync(pagesDir).filter((f) => /^batch-\d+\.html$/.test(f)).sort();
  const fleet = previewFleet(join(repoRoot, "stacks"), stacks, new Date().toISOString().slice(0, 10));
  encryptedTelegramLinks = fleet.nodes.flatMap((n) => n.relays.flatMap((r) => (r.kind === "mtproto" && r.transport === "encrypted" ? [r.telegramWeb] : [])));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

const urlOf = (page: string) => pathToFileURL(join(pagesDir, page)).href;
const languages = ["ru", "kk", "en"] as const;
const scripting = [false, true];

/**
 * A well-formed FakeTLS MTProto link as mtg takes it: a TEST-NET server (preview), a port, and a
 * secret of "ee", 16 bytes, then the hex of the host name the relay passes itself off as.
 */
function fakeTlsProblem(href: string): string | undefined {
  const url = new URL(href);
  if (url.origin !== "https://t.me" || url.pathname !== "/proxy") return `${href} is not a t.me/proxy link`;
  const server = url.searchParams.get("server") ?? "";
  if (!/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(server)) return `server ${server} is not a TEST-NET placeholder`;
  const port = Number(url.searchParams.get("port"));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${url.searchParams.get("port")} is not a port`;
  const secret = /^ee[0-9a-f]{32}((?:[0-9a-f]{2})+)$/.exec(url.searchParams.get("secret") ?? "");
  if (!secret) return `secret ${url.searchParams.get("secret")} is not ee + 16 bytes + a host name in hex`;
  const host = Buffer.from(secret[1]!, "hex").toString("latin1");
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? undefined : `the secret's host name ${JSON.stringify(host)} is not a host name`;
}

describe("a preview page from the example stacks, on a 360x740 phone", () => {
  it("is what `lifeline share --preview` wrote: three batch pages", () => {
    expect(batchPages).toEqual(["batch-01.html", "batch-02.html", "batch-03.html"]);
    expect(encryptedTelegramLinks.length).toBe(6);
  });

  // "Working" on a preview cannot mean connecting: its addresses are TEST-NET and its secrets
  // zeros. It means the button is tappable on the first screen and carries a well-formed link
  // of an encrypted relay of the fleet, printed on the page under its QR code as well.
  it("holds the PREVIEW banner and a tappable encrypted relay's button on the first screen, in every language, with and without JavaScript", async () => {
    for (const name of batchPages) {
      for (const javascript of scripting) {
        for (const lang of languages) {
          const what = `${name}#${lang} (JavaScript ${javascript ? "on" : "off"})`;
          const { page, requests } = await openOffline(browser, urlOf(name), phone, { javascript });
          await page.goto(`${urlOf(name)}#${lang}`);
          const banner = await page.evaluate(() => {
            const notice = document.querySelector('p[role="alert"]');
            if (!notice) return undefined;
            const box = notice.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return { text: notice.innerText, top: box.top, bottom: box.bottom, height: box.height, seen: notice.contains(hit) };
          });
          expect(banner, `${what}: the PREVIEW banner`).toBeDefined();
          expect(banner!.text, what).toContain(previewNotice);
          expect(banner!.seen, `${what}: the PREVIEW banner is off screen or covered`).toBe(true);
          expect(banner!.top, what).toBeGreaterThanOrEqual(0);
          expect(banner!.bottom, what).toBeLessThanOrEqual(phone.height);
          const first = await firstEncryptedButton(page);
          expect(first, what).toMatchObject({ width: phone.width, scale: 1, tappable: true });
          expect(first.top, what).toBeGreaterThanOrEqual(banner!.bottom);
          expect(first.bottom, what).toBeLessThanOrEqual(phone.height);
          expect(fakeTlsProblem(first.href), what).toBeUndefined();
          expect(encryptedTelegramLinks, what).toContain(first.href);
          const printed: string[] = await page.evaluate(() => [...document.querySelectorAll("figcaption")].map((c: any) => c.innerText.trim()));
          expect(printed, `${what}: the button's link printed on the page`).toContain(first.href);
          expect(requests, what).toEqual([urlOf(name)]);
          await page.close();
        }
      }
    }
  }, 180_000);

  it("shows no two links or buttons with the same text, in every language, with and without JavaScript", async () => {
    for (const name of batchPages) {
      for (const javascript of scripting) {
        for (const lang of languages) {
          const { page } = await openOffline(browser, urlOf(name), phone, { javascript });
          await page.goto(`${urlOf(name)}#${lang}`);
          const texts = await visibleControlTexts(page);
          expect(texts.length, name).toBeGreaterThan(3);
          expect(repeatedTexts(texts), `${name}#${lang} (JavaScript ${javascript ? "on" : "off"})`).toEqual([]);
          await page.close();
        }
      }
    }
  }, 180_000);

  it("shows QR codes that zbarimg decodes to exactly the link printed under each, one by one and in screenshots of the whole page", async () => {
    for (const name of batchPages) {
      const { page } = await openOffline(browser, urlOf(name), phone);
      const prefix = join(work, `${name.replace(".html", "")}-phone`);
      const codes = await figureQrCodes(page, prefix);
      expect(codes.length, name).toBeGreaterThan(1);
      for (const [i, { caption, decoded }] of codes.entries()) expect(decoded, `${name} QR ${i}`).toEqual([caption]);
      const whole = await decodeWholePage(page, prefix);
      expect([...whole].sort(), `${name} whole page`).toEqual([...new Set(codes.map((c) => c.caption))].sort());
      await page.close();
    }
  }, 180_000);

  it("takes the README's screenshot of the Russian first batch page's first screen when asked (LIFELINE_UPDATE_SCREENSHOT=1)", async () => {
    const { page } = await openOffline(browser, urlOf("batch-01.html"), phone);
    const shot = join(work, "batch-01-phone-ru.png");
    await page.screenshot({ path: shot as `${string}.png` });
    await page.close();
    if (updateReadmeShot) copyFileSync(shot, readmeShot);
  });
});
