import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { browserScan, type FetchLike } from "../../src/scan/browser/browser-scan";
import { SocketSlots } from "../../src/scan/browser/socket-slots";
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
      slots: 4,
      lingerMs: 0,
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
    const result = await browserScan({ address: "198.18.2.2", token, ports: [8443], slots: 1, lingerMs: 0, timeoutMs: 300, fetch: moved, randomBytes: (n) => randomBytes(n) });
    expect(result.open).toEqual([]);
    expect(result.answeredWrong).toEqual([8443]);
  });

  it("gives an answered attempt's slot back at once and an aborted one only after the linger, waking a waiter on that event", async () => {
    const slots = new SocketSlots(2, 300);
    await slots.take();
    await slots.take();
    expect(slots.free()).toBe(0);
    slots.give(false);
    expect(slots.free()).toBe(1);
    await slots.take();
    slots.give(true);
    expect(slots.free()).toBe(0);
    const asked = Date.now();
    await slots.take();
    const waited = Date.now() - asked;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(slots.tryTake()).toBe(false);
  });

  it("finds the open ports after a long run of silent ones when the browser keeps aborted attempts connecting (Chromium's pool)", async () => {
    // The pool measured in Chromium (socket-slots.ts), scaled down: 4 sockets; an aborted attempt
    // keeps its socket `lingerMs`; a fetch without a socket waits, and its timeout (100 ms) runs meanwhile.
    const capacity = 4;
    const chromiumLikePool = (lingerMs: number): FetchLike => {
      let held = 0;
      const queued: Array<() => void> = [];
      const release = () => {
        held -= 1;
        queued.shift()?.();
      };
      return (url, init) =>
        new Promise((resolve, reject) => {
          const { port, searchParams } = new URL(url);
          let started = false;
          const start = () => {
            started = true;
            held += 1;
            if (port === "8443" || port === "9443") {
              release();
              resolve({ text: async () => expectedAnswer(token, searchParams.get("n")!, Number(port)) });
            }
          };
          init.signal.addEventListener("abort", () => {
            if (started) setTimeout(release, lingerMs);
            else queued.splice(queued.indexOf(start), 1);
            reject(new Error("aborted"));
          });
          if (held < capacity) start();
          else queued.push(start);
        });
    };
    // Four rounds of silent ports: more than the pool holds within one linger.
    const silent = Array.from({ length: 16 }, (_, i) => 2000 + i);
    const ports = [...silent, 8443, 9443];
    const scan = (ledgerLingerMs: number) =>
      browserScan({ address: "198.18.2.2", token, ports, slots: capacity, lingerMs: ledgerLingerMs, timeoutMs: 100, fetch: chromiumLikePool(1000), randomBytes: (n) => randomBytes(n) });
    // Counting only fetches in flight (no linger), the later fetches queue in the pool behind the
    // first round's abandoned attempts (held 1 s, longer than the whole scan) and time out unseen.
    const blind = await scan(0);
    expect(blind.open).toEqual([]);
    expect(blind.timedOut).toEqual(ports);
    // Counting the lingering attempts, every fetch starts on a free socket: both open ports found.
    const counted = await scan(1050);
    expect(counted.open).toEqual([8443, 9443]);
    expect(counted.timedOut).toEqual(silent);
  });
});
