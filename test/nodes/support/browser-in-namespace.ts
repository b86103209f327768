import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { chromiumPath } from "../../unit/support/headless-chromium";

export interface BrowserInNamespace {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's headless Chromium inside a network namespace (a person's computer inside the
 * country), with `trustedRootPem` in its NSS database as a browser trusts the web's roots.
 * Puppeteer speaks to it over a pipe, so nothing listens on the namespace's loopback.
 */
export async function launchChromiumIn(ns: string, trustedRootPem: string, proxyArgs: readonly string[]): Promise<BrowserInNamespace> {
  const home = mkdtempSync(join(tmpdir(), "lifeline-browser-"));
  const nssdb = join(home, ".pki", "nssdb");
  mkdirSync(nssdb, { recursive: true });
  writeFileSync(join(home, "root.pem"), trustedRootPem);
  execFileSync("certutil", ["-d", `sql:${nssdb}`, "-N", "--empty-password"]);
  execFileSync("certutil", ["-d", `sql:${nssdb}`, "-A", "-t", "C,,", "-n", "test internet CA", "-i", join(home, "root.pem")]);
  const wrapper = join(home, "chromium-in-namespace");
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await puppeteer.launch({
    executablePath: wrapper,
    pipe: true,
    userDataDir: join(home, "profile"),
    env: { ...process.env, HOME: home },
    // Root (CI) cannot use Chromium's sandbox.
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", ...proxyArgs],
  });
  return { browser, close: () => browser.close() };
}
