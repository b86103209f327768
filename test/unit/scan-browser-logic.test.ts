import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { browserScan, type FetchLike } from "../../src/scan/browser/browser-scan";
import { expectedAnswer } from "../../src/scan/probe-answer";

const token = "Br0wserT0kenAbCdEfGhIjKl";

// A stand-in for the browser's fetch: port 8443 is the probe (answers the right MAC for the
// nonce and port in the URL), 8080 a portal, 3000 resets, the rest never answer.
const fakeFetch: FetchLike = (url, init) => {
  const { port, searchParams } = new URL(url);
  const nonce = searchParams.get("n")!;
  if (port === "8443") return Promise.resolve({ text: async () => expectedAnswer(token, nonce, Number(searchParams.get("p"))) });
  if (port === "8080") return Promise.resolve({ text: async () => "<html>Please log in</html>" });
  if (port === "3000") return Promise.reject(new TypeError("Failed to fetch"));
  return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
};

describe("the browser scanner's logic", () => {
  it("counts only the probe's MAC as open, skips ports browsers refuse, and tells failures from silence", async () => {
    const result = await browserScan({
      address: "198.18.2.2",
      token,
      ports: [25, 179, 3000, 8080, 8443, 9000],
      parallel: 4,
      timeoutMs: 300,
      fetch: fakeFetch,
      randomBytes: (n) => randomBytes(n),
    });
    expect(result).toEqual({ open: [8443], answeredWrong: [8080], failed: [3000], timedOut: [9000], skipped: [25, 179] });
  });

  it("does not count the probe's answer for another port (a path that moved the connection)", async () => {
    const moved: FetchLike = (url) => {
      const { searchParams } = new URL(url);
      return Promise.resolve({ text: async () => expectedAnswer(token, searchParams.get("n")!, 443) });
    };
    const result = await browserScan({ address: "198.18.2.2", token, ports: [8443], parallel: 1, timeoutMs: 300, fetch: moved, randomBytes: (n) => randomBytes(n) });
    expect(result.open).toEqual([]);
    expect(result.answeredWrong).toEqual([8443]);
  });
});
