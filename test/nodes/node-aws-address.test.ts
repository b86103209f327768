import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlackoutNetwork } from "./harness";
import { curlThroughProxy } from "./support/clients";
import type { ImdsStandin } from "./support/imds";
import { openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { KNOWN_PAGE } from "./harness";

// EC2 boots an instance with an address of its own; lifeline's Elastic IP is associated only
// once the instance runs. A connection open at that moment breaks, so the node must not start
// a download before its public address is the Elastic IP its links carry.

/** The address EC2 gives at launch, before the Elastic IP (any test address other than the node's). */
const launchAddress = "198.18.2.77";
const holdMs = 20_000;
const downloaders = new Set(["apt-get", "apt", "http", "https", "curl", "gpgv", "dpkg"]);

/** Counts every TCP connection the node opens, except to the metadata service. */
const watchRules = `table inet eip_watch {
  chain output {
    type filter hook output priority -50; policy accept;
    ip daddr 169.254.169.254 accept
    tcp flags & (syn | ack) == syn counter
  }
}
`;

async function connectionsOpened(network: BlackoutNetwork): Promise<number | undefined> {
  const r = await network.execIn("node", "nft", ["list", "chain", "inet", "eip_watch", "output"]);
  const packets = /counter packets (\d+)/.exec(r.stdout)?.[1];
  // The node's own firewall flushes every table once its setup runs: then nothing is counted.
  return packets === undefined ? undefined : Number(packets);
}

describe("an AWS node whose Elastic IP is associated after it boots", () => {
  let s: NodeSession;
  let imds: ImdsStandin;

  beforeAll(async () => {
    s = await openNodeSession({
      provider: "aws",
      name: "eip-wait",
      firstPublicIpv4: launchAddress,
      // Watch from before the first boot instruction, in the node's own network namespace.
      beforeBoot: async (network) => {
        const r = await network.execIn("node", "nft", ["-f", "-"], { input: watchRules });
        if (r.code !== 0) throw new Error(`cannot watch the node's connections: ${r.stderr}`);
      },
    });
    imds = s.imds!;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("asks the metadata service, and downloads nothing while it reports another address", async () => {
    await waitUntil(async () => imds.answers().some((a) => a.publicIpv4 === launchAddress), 180_000, "the node asking IMDSv2 for its public address");
    const seen = new Set<string>();
    const until = Date.now() + holdMs;
    while (Date.now() < until) {
      const ps = await s.node.exec("ps", ["-eo", "comm="]);
      for (const name of ps.stdout.split("\n").map((l) => l.trim())) if (downloaders.has(name)) seen.add(name);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect([...seen], "download programs running before the Elastic IP").toEqual([]);
    expect(await connectionsOpened(s.network), "TCP connections the node opened before the Elastic IP (undefined: its setup already ran)").toBe(0);
    // Still asking, every few seconds, through the whole hold.
    expect(imds.answers().filter((a) => a.publicIpv4 === launchAddress).length).toBeGreaterThanOrEqual(holdMs / 1000 / 2 - 1);
    const log = await s.node.exec("cat", ["/var/log/cloud-init-output.log"]);
    expect(log.stdout).toContain(`lifeline: waiting for public address ${s.network.nodeIp} before any download; the metadata service says ${launchAddress}`);
    expect((await s.node.exec("cloud-init", ["status"])).stdout).toMatch(/status: running/);
  }, 300_000);

  it("starts its downloads once the Elastic IP is associated, and then serves", async () => {
    const associatedAt = await imds.setPublicIpv4(s.network.nodeIp);
    expect(await connectionsOpened(s.network), "TCP connections the node opened before the Elastic IP").toBe(0);
    // The watch sees the downloads begin (before the node's own firewall replaces it).
    await waitUntil(async () => ((await connectionsOpened(s.network)) ?? 0) > 0, 120_000, "the first download after the association");
    await s.node.waitForCloudInit();
    const firstEip = imds.answers().find((a) => a.publicIpv4 === s.network.nodeIp)!;
    expect(firstEip.atMs).toBeGreaterThanOrEqual(associatedAt);
    const log = await s.node.exec("cat", ["/var/log/cloud-init-output.log"]);
    expect(log.stdout).toContain(`lifeline: public address is ${s.network.nodeIp}; downloads may start`);
    expect((await curlThroughProxy(s.network, s.rendered.links["socks5"]!["socks5"]!)).stdout).toBe(KNOWN_PAGE);
  }, 600_000);
});
