import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

/** Debian's chromium (`apt-get install chromium`); CHROMIUM overrides the path. */
const chromiumPath = process.env["CHROMIUM"] ?? "/usr/bin/chromium";

/**
 * Debian's headless Chromium started inside a network namespace, as a phone inside the blackout
 * would be: it reaches only what that namespace reaches (the test's own hosts). Puppeteer talks to
 * it over a pipe, since its loopback is the namespace's. Names never resolve (nothing to resolve
 * here, and Chromium's own background calls must not go anywhere), except the probe's literal.
 */
export async function launchChromiumIn(ns: string, work: string, reachable: string): Promise<Browser> {
  const wrapper = join(work, "chromium-in-netns.sh");
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return puppeteer.launch({
    executablePath: wrapper,
    pipe: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${reachable}`,
    ],
  });
}
