import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackOutputs } from "../../src/fleet-input/parse-stack-outputs";
import { mergeFleet } from "../../src/fleet-input/merge-fleet";
import type { Fleet } from "../../src/fleet-input/types";
import { relayKindNames } from "../../src/relays/registry";
import { shareFiles } from "../../src/share/share-files";
import { raisedQuotas, stackFleet } from "./support/fixtures";
import { stackOutputsJson } from "./support/stack-outputs";
import { fixedShareKey } from "./support/share-fixtures";

/** One round trip on a slow link: TCP's first window is 10 segments of ~1400 bytes. */
const firstRoundTrip = 14_000;
// A page with every relay kind (six, vless and the computer-only https relay included) takes a
// second round trip; the figures in the README say by how much.
const twoRoundTrips = 2 * firstRoundTrip;

/** A 50-node stack running every relay kind: the heaviest pages lifeline makes. */
function fiftyNodeFleet(): Record<string, any> {
  const fleet = stackFleet("example-do");
  fleet.openPorts = [...fleet.openPorts, 8388, 9443];
  fleet.relays = [...fleet.relays, { kind: "shadowsocks", port: 8388 }, { kind: "vless", port: 9443, options: { target: { host: "www.example.com", port: 443 } } }];
  fleet.groups = [{ provider: "digitalocean", regions: ["fra1", "ams3", "lon1", "nyc1", "sfo3"], nodesPerRegion: 10, size: "s-1vcpu-1gb" }];
  fleet.budgetPerDay = 20;
  // Far beyond a new account's 3 reserved IPs and Droplets: say the limits were raised.
  fleet.quotas = raisedQuotas();
  return fleet;
}

const weight = (text: string) => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text).length });

let fleet: Fleet;
beforeAll(async () => {
  fleet = mergeFleet([parseStackOutputs("fifty.json", await stackOutputsJson("fifty", fiftyNodeFleet()))]);
}, 120_000);

describe("page weight (figures in the README)", () => {
  it("a 2-node batch page loads in one round trip (gzipped); all.html for 50 nodes is measured", () => {
    expect(fleet.nodes).toHaveLength(50);
    expect(fleet.nodes.every((n) => n.relays.length === relayKindNames.length)).toBe(true);
    const { files } = shareFiles(fleet, { batches: 25, perPage: 2, lang: "ru", key: fixedShareKey, reservedShare: 0.2 });
    const batches = files.filter((f) => f.name.startsWith("batch-")).map((f) => weight(f.content));
    const heaviest = batches.reduce((a, b) => (b.gzip > a.gzip ? b : a));
    const all = weight(files.find((f) => f.name === "all.html")!.content);
    const post = Math.max(...files.filter((f) => f.name.startsWith("telegram-")).map((f) => f.content.trimEnd().length));
    console.log(
      [
        "| page | raw bytes | gzipped bytes (level 6) | per node raw / gzipped |",
        "| --- | --- | --- | --- |",
        `| heaviest 2-node batch page | ${heaviest.raw} | ${heaviest.gzip} | ${Math.round(heaviest.raw / 2)} / ${Math.round(heaviest.gzip / 2)} |`,
        `| all.html, 50 nodes | ${all.raw} | ${all.gzip} | ${Math.round(all.raw / 50)} / ${Math.round(all.gzip / 50)} |`,
        `longest Telegram post: ${post} of 4096 UTF-16 units`,
      ].join("\n"),
    );
    expect(heaviest.gzip).toBeLessThanOrEqual(twoRoundTrips);
    // all.html is one file an organizer opens on a laptop; it must stay forwardable between them.
    expect(all.gzip).toBeLessThan(1_000_000);
  });
});
