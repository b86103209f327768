import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWrongSecret } from "./support/mtproto";
import { openNodeSession, type NodeSession } from "./support/node-session";

// `lifeline check`, run as the organizer would, from the client side of the simulated censor,
// against a node booted from the local-nodes stack: the real mtg 2.2.8, microsocks, squid and
// ss-server. Each case changes one thing (a link's secret, a stopped unit, a censor rule).
describe("lifeline check against a booted node, from behind the censor", () => {
  let s: NodeSession;
  const work = mkdtempSync(join(tmpdir(), "lifeline-check-"));
  const tsxCli = createRequire(__filename).resolve("tsx/cli");
  const main = join(__dirname, "..", "..", "src", "cli", "main.ts");

  type Links = Record<string, Record<string, string>>;
  interface Checked {
    code: number | null;
    stdout: string;
    stderr: string;
    links: Array<{ relay: string; status: string; port: number | null; latencyMs: number | null; detail: string }>;
  }

  /** Writes the node's outputs as `pulumi stack output --json --show-secrets` would, with `links`. */
  function outputsFile(name: string, links: Links): string {
    const { node } = s.rendered;
    const path = join(work, `${name}.json`);
    const nodes = [{ name: node.name, provider: node.provider, region: node.region, size: node.size, address: s.network.nodeIp, links }];
    writeFileSync(path, JSON.stringify({ nodes, summary: { stack: "local-nodes", volunteer: "local node tests", expires: "2027-01-31" } }));
    return path;
  }

  /** The organizer's machine trusts the test internet's CA (pebble) as it trusts Let's Encrypt, unless told not to. */
  async function check(links: Links, ...extra: string[]): Promise<Checked> {
    const file = outputsFile(`outputs-${Date.now()}`, links);
    const untrusting = extra.includes("untrusting");
    const args = [tsxCli, main, "check", "--outputs", file, "--target", s.network.internet.ip, "--timeout", "4", "--allow-private", ...extra.filter((a) => a !== "untrusting")];
    const env = untrusting ? process.env : { ...process.env, NODE_EXTRA_CA_CERTS: s.ca.rootFile };
    const r = await s.network.execIn("client", process.execPath, args, { timeoutMs: 120_000, env });
    const parsed = extra.includes("--json") ? (JSON.parse(r.stdout) as { links: Checked["links"] }).links : [];
    return { ...r, links: parsed };
  }
  const statusOf = (c: Checked) => Object.fromEntries(c.links.map((l) => [l.relay, l.status]));
  const detailOf = (c: Checked, relay: string) => c.links.find((l) => l.relay === relay)!.detail;

  /** Every secret of the node: none may appear in anything check prints. */
  const secrets = () => Object.values(s.rendered.secrets).flatMap((kind) => Object.values(kind));
  const expectNoSecrets = (c: Checked) => {
    for (const secret of secrets()) {
      expect(c.stdout).not.toContain(secret);
      expect(c.stderr).not.toContain(secret);
    }
  };

  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "check" });
    await s.node.waitForCloudInit();
  });
  afterAll(async () => {
    await s?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("reports every relay of a healthy node as healthy, with latency, progress and no secret", async () => {
    const c = await check(s.rendered.links, "--json");
    expect(c.stderr).toContain("checking 5 links of 1 nodes");
    expect(c.stderr).toMatch(/\[5\/5\] do-fra1-0 \w+: ok/);
    expect(statusOf(c)).toEqual({ mtproto: "ok", socks5: "ok", http: "ok", https: "ok", shadowsocks: "ok" });
    expect(c.links.map((l) => l.port).sort((a, b) => a! - b!)).toEqual([443, 2053, 4443, 8080, 8443]);
    for (const link of c.links) expect(link.latencyMs).toBeGreaterThan(0);
    expect(detailOf(c, "mtproto")).toBe("FakeTLS handshake: the server's answer is signed with the link's secret");
    expect(detailOf(c, "socks5")).toBe(`authenticated; CONNECT to ${s.network.internet.ip}:443 succeeded`);
    expect(detailOf(c, "https")).toBe(`TLS certificate valid; authenticated; CONNECT to ${s.network.internet.ip}:443 answered 200`);
    expect(c.code).toBe(0);
    expectNoSecrets(c);

    const table = await check(s.rendered.links);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NODE\s+ADDRESS\s+RELAY\s+PORT\s+STATUS\s+LATENCY/);
    expect(table.stdout).toContain("all 5 links healthy");
    expectNoSecrets(table);
    // The figures (latency, handshake time) for the README.
    process.stdout.write(`${table.stdout}\n`);
  });

  it("fails the https relay from a machine that does not trust its certificate's CA, saying so", async () => {
    const c = await check({ https: s.rendered.links["https"]! }, "--json", "untrusting");
    expect(statusOf(c)).toEqual({ https: "failed" });
    expect(detailOf(c, "https")).toMatch(/^the relay's TLS certificate is not valid for this address \(/);
    expectNoSecrets(c);
  });

  it("fails every relay whose link holds a wrong password or secret, and says why", async () => {
    const links: Links = JSON.parse(JSON.stringify(s.rendered.links));
    const flip = (text: string) => text.replace(/^./, (ch) => (ch === "a" ? "b" : "a"));
    links["mtproto"]!["telegram"] = withWrongSecret(links["mtproto"]!["telegram"]!);
    const socks = new URL(links["socks5"]!["telegram"]!.replace("tg://", "http://"));
    links["socks5"]!["telegram"] = links["socks5"]!["telegram"]!.replace(`pass=${socks.searchParams.get("pass")}`, `pass=${flip(socks.searchParams.get("pass")!)}`);
    links["http"]!["password"] = flip(links["http"]!["password"]!);
    links["https"]!["password"] = flip(links["https"]!["password"]!);
    const ss = /^ss:\/\/([^@]+)@/.exec(links["shadowsocks"]!["accessKey"]!)![1]!;
    const [method, password] = Buffer.from(decodeURIComponent(ss), "base64url").toString().split(":") as [string, string];
    links["shadowsocks"]!["accessKey"] = links["shadowsocks"]!["accessKey"]!.replace(ss, Buffer.from(`${method}:${flip(password)}`).toString("base64url"));

    const c = await check(links, "--json");
    expect(statusOf(c)).toEqual({ mtproto: "failed", socks5: "failed", http: "failed", https: "failed", shadowsocks: "failed" });
    expect(detailOf(c, "mtproto")).toMatch(/^the answer is not signed with the link's secret/);
    expect(detailOf(c, "socks5")).toBe("wrong user or password: the relay refused the link's credentials");
    expect(detailOf(c, "http")).toBe("wrong user or password: the proxy answered 407");
    expect(detailOf(c, "https")).toBe("wrong user or password: the proxy answered 407");
    expect(detailOf(c, "shadowsocks")).toMatch(/a wrong password|does not decrypt/);
    expect(c.code).toBe(1);
    expectNoSecrets(c);
  });

  it("fails a stopped relay as refused, and the others stay healthy", async () => {
    await s.node.exec("systemctl", ["stop", "lifeline-socks5.service"]);
    try {
      const c = await check(s.rendered.links, "--json");
      expect(statusOf(c)).toEqual({ mtproto: "ok", socks5: "failed", http: "ok", https: "ok", shadowsocks: "ok" });
      expect(detailOf(c, "socks5")).toBe("connection refused on port 8443: nothing listens there (relay stopped?)");
      expect(c.code).toBe(1);
    } finally {
      await s.node.exec("systemctl", ["start", "lifeline-socks5.service"]);
    }
  });

  it("fails a port the censor drops as unreachable", async () => {
    const rule = ["insert", "rule", "inet", "censor", "forward", "tcp", "dport", "8080", "drop"];
    await s.network.execIn("censor", "nft", rule);
    const c = await check(s.rendered.links, "--json");
    expect(statusOf(c)).toEqual({ mtproto: "ok", socks5: "ok", http: "failed", https: "ok", shadowsocks: "ok" });
    expect(detailOf(c, "http")).toBe("no TCP answer within 4 s: the port is dropped on the way (censor or firewall), or the node is down");
    expect(c.links.find((l) => l.relay === "http")!.latencyMs).toBeNull();
    expect(c.code).toBe(1);
  });
});
