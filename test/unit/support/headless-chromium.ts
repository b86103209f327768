import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

// The test runs in Node: these are the browser's globals that page.evaluate callbacks use.
declare const document: { documentElement: { scrollHeight: number; scrollWidth: number } };

/** Debian's chromium (`apt-get install chromium`); CHROMIUM overrides the path. */
export const chromiumPath = process.env["CHROMIUM"] ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (or set CHROMIUM)`);
  return puppeteer.launch({
    executablePath: chromiumPath,
    // Root (CI) cannot use Chromium's sandbox. Chromium 156 still calls Google's update, clock
    // and account services at start despite --disable-background-networking (seen in its
    // --log-net-log here): no name resolves and every request goes to a closed loopback
    // proxy, so the browser itself reaches nothing outside this machine.
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND",
      "--proxy-server=http://127.0.0.1:9",
    ],
  });
}

export interface Viewport {
  name: string;
  width: number;
  height: number;
  deviceScaleFactor: number;
  isMobile: boolean;
}

export const phone: Viewport = { name: "phone", width: 360, height: 740, deviceScaleFactor: 2, isMobile: true };
export const desktop: Viewport = { name: "desktop", width: 1280, height: 800, deviceScaleFactor: 1, isMobile: false };

export interface OpenedPage {
  page: Page;
  /** Every request the page made, its own file:// load included (CDP Network.requestWillBeSent). */
  requests: string[];
}

/**
 * Opens a file as a person would, but with the network off and JavaScript disabled: the pages
 * must need neither (their copy buttons are a convenience over a read-only field). Every request the page makes is recorded, and any beyond the file itself
 * is aborted.
 */
export async function openOffline(browser: Browser, url: string, viewport: Viewport, { javascript = false } = {}): Promise<OpenedPage> {
  const page = await browser.newPage();
  const requests: string[] = [];
  // Off unless a test of the page's one script (its copy buttons) asks.
  await page.setJavaScriptEnabled(javascript);
  await page.setOfflineMode(true);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    requests.push(request.url());
    if (request.url() === url.replace(/#.*$/, "")) void request.continue();
    else void request.abort();
  });
  await page.setViewport({ ...viewport, hasTouch: viewport.isMobile });
  await page.goto(url, { waitUntil: "load" });
  return { page, requests };
}

/** Every QR code zbarimg finds in a PNG, as text (none: an empty list). */
export function decodeQrCodes(png: string): string[] {
  if (spawnSync("zbarimg", ["--version"]).error) throw new Error("zbarimg is missing: apt-get install zbar-tools");
  try {
    const out = execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\n").filter((line) => line !== "");
  } catch (error) {
    // zbarimg exits 4 when it finds no symbol.
    if ((error as { status?: number }).status === 4) return [];
    throw error;
  }
}

/**
 * The QR codes of a whole page, read from screenshots of the page in overlapping slices (a
 * tall page as one PNG exceeds what zbarimg's image loader accepts). Slices overlap by more
 * than a QR code's height, so each code lies whole in one; the result is a set.
 */
export async function decodeWholePage(page: Page, pngPrefix: string): Promise<Set<string>> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const slice = 2400;
  const overlap = 600;
  const found = new Set<string>();
  for (let y = 0, i = 0; y < height; y += slice - overlap, i++) {
    const path = `${pngPrefix}-slice${i}.png` as const;
    await page.screenshot({ path, clip: { x: 0, y, width, height: Math.min(slice, height - y) }, captureBeyondViewport: true });
    for (const text of decodeQrCodes(path)) found.add(text);
    if (y + slice >= height) break;
  }
  return found;
}
