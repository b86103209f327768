import type { Page } from "puppeteer-core";
import { decodeQrCodes } from "./headless-chromium";

// What a person holding a phone meets on a share page, measured in the open browser page.
// The browser's globals that page.evaluate callbacks use (the checks themselves run in Node).
declare const document: any;
declare const window: any;

/** Where the first encrypted relay's button sits on the screen, and whether a tap reaches it. */
export interface FirstEncryptedButton {
  href: string;
  top: number;
  bottom: number;
  /** The element under the button's centre is the button (nothing covers it). */
  tappable: boolean;
  /** The layout viewport's width and zoom: at scale 1 the screen is the viewport. */
  width: number;
  scale: number;
}

export function firstEncryptedButton(page: Page): Promise<FirstEncryptedButton> {
  return page.evaluate(() => {
    const button = document.querySelector('.relay[data-transport="encrypted"] a.btn');
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { href: button.getAttribute("href"), top: box.top, bottom: box.bottom, tappable: button.contains(hit), width: window.innerWidth, scale: window.visualViewport.scale };
  });
}

/** The texts of every link and button a reader can see (hidden languages left out). */
export function visibleControlTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("a, button")].filter((e: any) => e.getClientRects().length > 0).map((e: any) => e.innerText.trim()),
  );
}

/** Each text that appears again after its first time. */
export const repeatedTexts = (texts: readonly string[]) => texts.filter((t, i) => texts.indexOf(t) !== i);

/** Each QR code's figure: the link printed under it, and what zbarimg reads from its screenshot. */
export async function figureQrCodes(page: Page, pngPrefix: string): Promise<Array<{ caption: string; decoded: string[] }>> {
  const read: Array<{ caption: string; decoded: string[] }> = [];
  for (const [i, figure] of (await page.$$("figure")).entries()) {
    const caption = await figure.$eval("figcaption", (c) => (c as unknown as { innerText: string }).innerText.trim());
    const shot = `${pngPrefix}-qr${i}.png` as const;
    await figure.screenshot({ path: shot });
    read.push({ caption, decoded: decodeQrCodes(shot) });
  }
  return read;
}
