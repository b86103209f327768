import { describe, expect, it } from "vitest";
import type { Attempt, AttemptOutcome } from "../../src/scan/attempt";
import { runPaced } from "../../src/scan/paced-pool";
import { formatPorts, parsePortSpec, PortSpecError } from "../../src/scan/port-spec";
import { scanPorts, type ScanOptions } from "../../src/scan/scan-ports";
import { verdictOf } from "../../src/scan/verdicts";

const outcome = (kind: AttemptOutcome["kind"]): AttemptOutcome =>
  kind === "wrong-answer" ? { kind, probeShaped: false } : kind === "unreachable" || kind === "local-error" ? { kind, code: "X" } : ({ kind } as AttemptOutcome);

function options(attempt: Attempt, ports: number[], extra: Partial<ScanOptions> = {}): ScanOptions {
  return { ports, attempt, rate: 100_000, parallel: 64, retestRounds: 2, gapMs: 1, silentSampleShare: 0.01, minSilentSample: 20, ...extra };
}

describe("port lists", () => {
  it("reads ports and ranges as people write them, and writes them back short", () => {
    expect(parsePortSpec("443, 80,8000-8002,443")).toEqual([80, 443, 8000, 8001, 8002]);
    expect(parsePortSpec("1-65535")).toHaveLength(65535);
    expect(formatPorts([8002, 80, 8000, 8001, 443, 444])).toBe("80, 443, 444, 8000-8002");
  });

  it("names what is wrong in a bad list", () => {
    expect(() => parsePortSpec("0-10")).toThrow(new PortSpecError('"0-10": ports go from 1 to 65535'));
    expect(() => parsePortSpec("9000-80")).toThrow(/the range is backwards; write 80-9000/);
    expect(() => parsePortSpec("http")).toThrow(/"http" is not a port or a range/);
  });
});

describe("a port's verdict", () => {
  it("is open only with a verified answer, whatever else was seen; a handshake without it is intercepted", () => {
    expect(verdictOf([outcome("silent"), outcome("verified")])).toBe("open");
    expect(verdictOf([outcome("wrong-answer"), outcome("silent")])).toBe("intercepted");
    expect(verdictOf([outcome("no-answer")])).toBe("intercepted");
    expect(verdictOf([outcome("refused"), outcome("silent")])).toBe("refused");
    expect(verdictOf([outcome("silent"), outcome("silent")])).toBe("silent");
  });
});

describe("scanPorts", () => {
  it("finds an open port whose first tries were lost, by re-testing it seconds later", async () => {
    const tries = new Map<number, number>();
    // Port 7 answers only from its third try on; port 9 is a middlebox; the rest are silent.
    const attempt: Attempt = async (port) => {
      const n = (tries.get(port) ?? 0) + 1;
      tries.set(port, n);
      if (port === 7) return outcome(n >= 2 ? "verified" : "no-answer");
      if (port === 9) return outcome("wrong-answer");
      return outcome("silent");
    };
    const result = await scanPorts(options(attempt, parsePortSpec("1-100")));
    expect(result.open).toEqual([7]);
    expect(result.intercepted).toEqual([9]);
    expect(result.silent).toBe(98);
    expect(result.resweep).toBe(false);
  });

  it("sweeps every closed port again when a sampled silent port answers after all", async () => {
    const seen = new Set<number>();
    // Ports 45 and 60-69 lose their first try (a burst of loss in the sweep), then answer. The
    // sample (ports 1-50, unshuffled) holds only 45: 60-69 are found only by sweeping again.
    const attempt: Attempt = async (port) => {
      const first = !seen.has(port);
      seen.add(port);
      return outcome((port === 45 || (port >= 60 && port < 70)) && !first ? "verified" : "silent");
    };
    const result = await scanPorts(options(attempt, parsePortSpec("1-100"), { minSilentSample: 50, shuffle: (items) => items }));
    expect(result.resweep).toBe(true);
    expect(result.silentSample.answered).toEqual([45]);
    expect(result.open).toEqual(parsePortSpec("45,60-69"));
  });

  it("warns, but scans on, when the first tries meet only ICMP unreachable: a censor may answer blocked ports so", async () => {
    const warned: string[] = [];
    const attempt: Attempt = async (port) => (port === 999 ? outcome("verified") : { kind: "unreachable", code: "EHOSTUNREACH" });
    const result = await scanPorts(options(attempt, parsePortSpec("1-1000"), { onOnlyUnreachable: (code) => warned.push(code) }));
    expect(result.open).toEqual([999]);
    expect(result.unreachableCode).toBeUndefined();
    expect(warned.length).toBeLessThanOrEqual(1);
  });

  it("reports the ICMP error when nothing at all could be reached", async () => {
    const attempt: Attempt = async (port) => (port % 2 === 0 ? outcome("silent") : { kind: "unreachable", code: "EHOSTUNREACH" });
    const result = await scanPorts(options(attempt, parsePortSpec("1-1000")));
    expect(result.open).toEqual([]);
    expect(result.unreachableCode).toBe("EHOSTUNREACH");
  });
});

describe("the paced pool", () => {
  it("when this machine runs out of sockets, keeps about as many in flight as fit instead of collapsing", async () => {
    // A machine that holds 300 connections: beyond that, opening one fails locally (EMFILE).
    let inFlight = 0;
    let peakLate = 0;
    let finished = 0;
    const attempt: Attempt = async () => {
      if (inFlight >= 300) return { kind: "local-error", code: "EMFILE" };
      inFlight += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (finished > 3000) peakLate = Math.max(peakLate, inFlight);
      inFlight -= 1;
      finished += 1;
      return { kind: "silent" };
    };
    const seen = new Set<number>();
    await runPaced(parsePortSpec("1-6000"), attempt, { rate: 1_000_000, parallel: 5000 }, (port) => seen.add(port));
    expect(seen.size).toBe(6000);
    expect(peakLate).toBeGreaterThanOrEqual(200);
  });
});
