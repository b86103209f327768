import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinReports, nodesToRotate } from "../../src/blocked/verdicts";
import type { OutsideNode } from "../../src/blocked/outside-check";
import { reportOf, type InsideResult } from "../../src/inside/check-inside";
import { nodesInText } from "../../src/inside/found-links";
import { decodeReport, encodeReport, fittedNetwork, nodeTag, relayStatuses, type Report } from "../../src/inside/report-code";
import { reportedKinds } from "../../src/inside/relay-kinds";

const report = (): Omit<Report, "version"> => ({
  salt: "abcdef",
  checkedAt: 1_800_000_123,
  network: "Билайн 4G",
  nodes: [
    { tag: nodeTag("abcdef", "203.0.113.7"), relays: [{ kind: "mtproto", status: "ok", ms: 140 }, { kind: "vless", status: "handshake-failed", ms: 60 }] },
    { tag: nodeTag("abcdef", "203.0.113.8"), relays: [{ kind: "shadowsocks", status: "no-connection" }] },
  ],
});

describe("report codes", () => {
  it("round-trip: what is encoded is read back, times in 20 ms steps", () => {
    const code = encodeReport(report());
    expect(decodeReport(code)).toEqual({ version: 1, ...report() });
    expect(decodeReport(encodeReport({ ...report(), nodes: [{ tag: "0001", relays: [{ kind: "https", status: "ok", ms: 131 }, { kind: "http", status: "ok", ms: 99_999 }] }] })).nodes[0]!.relays).toEqual([
      { kind: "https", status: "ok", ms: 140 },
      { kind: "http", status: "ok", ms: 5080 },
    ]);
  });

  it("cuts a long network name at whole characters", () => {
    const long = "Очень-длинное-название-сети-оператора-связи";
    const decoded = decodeReport(encodeReport({ ...report(), network: long })).network;
    expect(decoded).toBe(fittedNetwork(long));
    expect(Buffer.byteLength(decoded)).toBeLessThanOrEqual(40);
    expect(long.startsWith(decoded)).toBe(true);
  });

  it("refuses every changed character and every cut with a clear message", () => {
    const code = encodeReport(report());
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < code.length; i++) {
      const other = alphabet[(alphabet.indexOf(code[i]!) + 1) % 64]!;
      const changed = `${code.slice(0, i)}${other}${code.slice(i + 1)}`;
      // The last character's low bits may be padding base64url drops: then the bytes are the same.
      if (Buffer.from(changed, "base64url").equals(Buffer.from(code, "base64url"))) continue;
      expect(() => decodeReport(changed), `character ${i}`).toThrow(/checksum does not match: it was changed or cut in copying \(ask the sender to copy the whole code again\)|too short/);
    }
    for (let n = 0; n < code.length; n++) expect(() => decodeReport(code.slice(0, n)), `cut at ${n}`).toThrow(/too short: it was cut|checksum does not match|may hold only/);
    expect(() => decodeReport(`${code} tail`)).toThrow('not a report code: it may hold only letters, digits, "-" and "_"');
    expect(() => decodeReport("")).toThrow(/not a report code/);
  });

  it("refuses a code of another format version, asking for an update", () => {
    const bytes = Buffer.from(encodeReport(report()), "base64url");
    bytes[0] = 2;
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    const body = bytes.subarray(0, bytes.length - 4);
    const resigned = Buffer.concat([body, createHash("sha256").update(body).digest().subarray(0, 4)]).toString("base64url");
    expect(() => decodeReport(resigned)).toThrow("the code has format version 2, this tool reads version 1: update lifeline");
  });
});

// A random fleet: nodes with every link form `inside` reads, each with its own secrets.
const secret = fc.stringMatching(/^[A-Za-z0-9]{12,32}$/);
const octet = fc.integer({ min: 1, max: 254 });
const node = fc.record({
  address: fc.tuple(octet, octet, octet, octet).map((o) => o.join(".")),
  port: fc.integer({ min: 1, max: 65535 }),
  mtKey: fc.stringMatching(/^[0-9a-f]{32}$/),
  user: secret,
  password: secret,
  ssPassword: secret,
  uuid: fc.uuid(),
  label: fc.stringMatching(/^[a-z]{3}[0-9]-[0-9]$/),
});
type RandomNode = typeof node extends fc.Arbitrary<infer T> ? T : never;

function linksOf(n: RandomNode): string[] {
  const mt = `server=${n.address}&port=${n.port}&secret=ee${n.mtKey}7777772e636c6f7564666c6172652e636f6d`;
  return [
    `https://t.me/proxy?${mt}`,
    `tg://socks?server=${n.address}&port=${n.port + 1 > 65535 ? 1 : n.port + 1}&user=${n.user}&pass=${n.password}`,
    `ss://${Buffer.from(`chacha20-ietf-poly1305:${n.ssPassword}`).toString("base64url")}@${n.address}:${n.port}#${n.label}`,
    `vless://${n.uuid}@${n.address}:${n.port}?security=reality&pbk=${n.mtKey}&sni=www.example.com#${n.label}`,
    `https://${n.user}:${n.password}@${n.address}:${n.port}`,
  ];
}

describe("a report code over random fleets", () => {
  it("never holds a secret, a password, a link or a node address, in its text or its bytes", () => {
    fc.assert(
      fc.property(fc.uniqueArray(node, { minLength: 1, maxLength: 12, selector: (n) => n.address }), fc.constantFrom(...relayStatuses), (fleet, status) => {
        const found = nodesInText(fleet.flatMap(linksOf).join("\n"));
        expect(found).toHaveLength(fleet.length);
        const results: InsideResult[] = found.flatMap((f, i) => f.relays.map((r) => ({ server: i + 1, host: f.host, kind: r.kind, port: r.port, status, ms: 120 })));
        const code = encodeReport(reportOf(results, "Beeline", 1_800_000_000));
        const bytes = Buffer.from(code, "base64url");
        const views = [code, bytes.toString("latin1"), bytes.toString("utf8"), bytes.toString("hex"), JSON.stringify(decodeReport(code))];
        for (const n of fleet) {
          for (const forbidden of [n.mtKey, n.user, n.password, n.ssPassword, n.uuid, n.address, ...linksOf(n)]) {
            for (const view of views) expect(view).not.toContain(forbidden);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("verdicts over random reports", () => {
  it("never rotate a node that is down outside or that the reports disagree on", () => {
    const outsideNode = fc.record({ outside: fc.boolean(), seen: fc.array(fc.boolean(), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(outsideNode, { minLength: 1, maxLength: 8 }), (spec) => {
        const outside: OutsideNode[] = spec.map((s, i) => ({ source: "stack s", name: `do-fra1-${i}`, address: `192.0.2.${i + 1}`, relays: { mtproto: s.outside } }));
        const reports: Report[] = [0, 1, 2, 3].map((r) => {
          const salt = `0000${r}0`;
          const nodes = spec.flatMap((s, i) => (r < s.seen.length ? [{ tag: nodeTag(salt, `192.0.2.${i + 1}`), relays: [{ kind: "mtproto" as const, status: s.seen[r] ? ("ok" as const) : ("no-connection" as const) }] }] : []));
          return { version: 1, salt, checkedAt: 0, network: `net${r}`, nodes };
        });
        const joined = joinReports(reports, outside);
        const rotated = nodesToRotate(joined).map((n) => n.node.name);
        // Tags are 2 bytes: a chance collision is reported as a warning and the report left out.
        if (joined.warnings.length > 0) return;
        spec.forEach((s, i) => {
          const name = `do-fra1-${i}`;
          const blocked = s.outside && s.seen.length > 0 && s.seen.every((ok) => !ok);
          expect(rotated.includes(name), name).toBe(blocked);
          const verdict = joined.nodes[i]!.verdict;
          if (!s.outside) expect(verdict).toBe("down");
          else if (new Set(s.seen).size === 2) expect(verdict).toBe("disputed");
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("report code length", () => {
  it.each([
    [2, 58],
    [10, 175],
    [50, 762],
  ])("%i nodes of 4 relays each, with a network name: %i characters", (count, length) => {
    const salt = "123456";
    const nodes = Array.from({ length: count }, (_, i) => ({ tag: nodeTag(salt, `198.51.100.${i}`), relays: reportedKinds.slice(0, 4).map((kind) => ({ kind, status: "ok" as const, ms: 200 })) }));
    const code = encodeReport({ salt, checkedAt: 1_800_000_000, network: "Beeline", nodes });
    expect(code.length).toBe(length);
    // Telegram's message limit: a 50-node code fits with room for a line of words around it.
    expect(code.length).toBeLessThan(4096);
  });
});
