import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeReport, nodeTag } from "../../src/inside/report-code";
import { raisedQuotas } from "../unit/support/fixtures";
import { deployUnderMocks } from "../unit/support/mocked-deploy";
import type { RecordedResource } from "../unit/support/pulumi-mocks";
import { bootNode, cleanupStaleState, createBlackoutNetwork, type BlackoutNetwork, type NodeHandle } from "./harness";
import { run } from "./harness/run-command";
import { renderStackNodes, type RenderedNode } from "./support/test-stack";

// Issue 19 end to end: two nodes of one stack behind one censor, which has found node B and
// blocks its address for the client alone. `lifeline inside` in the client namespace, run on
// the share page `lifeline share` made, finds A working and B blocked; `lifeline check` from
// the outside namespace finds both working; `lifeline blocked --rotate` joins the two and
// bumps B's generation in the stack file; the program under the mocks then changes only B.
const stack = "two-nodes";
const work = mkdtempSync(join(tmpdir(), "lifeline-inside-blocked-"));
const stackPath = join(work, `Pulumi.${stack}.yaml`);
const tsxCli = createRequire(__filename).resolve("tsx/cli");
const main = join(__dirname, "..", "..", "src", "cli", "main.ts");

/** Both relays are Debian packages (no mirror, no CA): quick boots, and `inside` and `check` handshake with both. */
const fleet = {
  volunteer: "Two nodes",
  openPorts: [8443, 2053],
  relays: [
    { kind: "socks5", port: 8443 },
    { kind: "shadowsocks", port: 2053 },
  ],
  groups: [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 2 }],
  budgetPerDay: 5,
  quotas: raisedQuotas(),
  expires: "2027-01-31",
};
const stackText = `# the volunteer's own note: blocked --rotate keeps it\n${stringify({ config: { "lifeline:fleet": fleet } })}`;

let network: BlackoutNetwork;
/** Node B's seat behind the same censor. */
let seatB: BlackoutNetwork;
const nodes: NodeHandle[] = [];
let rendered: RenderedNode[];
let addresses: { a: string; b: string };
let page: string;
let reportCode: string;
const outsideCheck = join(work, "outside-check.json");

/** Runs node in a namespace: the client's (inside the country) or the checker's outside. */
const inNamespace = (role: "client" | "outside", args: string[]) => network.execIn(role, process.execPath, args, { timeoutMs: 180_000, cwd: work });
/** The organizer's own machine: the host, in no test namespace. */
const lifeline = (...args: string[]) => run(process.execPath, [tsxCli, main, ...args], { timeoutMs: 180_000, cwd: work });
const secrets = () => rendered.flatMap((r) => Object.values(r.secrets).flatMap((kind) => Object.values(kind)));

beforeAll(async () => {
  await cleanupStaleState();
  network = await createBlackoutNetwork({ openPorts: fleet.openPorts });
  seatB = await network.addNode();
  addresses = { a: network.nodeIp, b: seatB.nodeIp };
  writeFileSync(stackPath, stackText);
  rendered = renderStackNodes(fleet, stackPath, { "do-fra1-0": addresses.a, "do-fra1-1": addresses.b });
  const started = Date.now();
  nodes.push(await bootNode({ userData: rendered[0]!.userData, network, name: "inside-a" }));
  nodes.push(await bootNode({ userData: rendered[1]!.userData, network: seatB, name: "inside-b" }));
  await Promise.all(nodes.map((n) => n.waitForCloudInit(600_000)));
  process.stdout.write(`two nodes booted, cloud-init done, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  // The stack's outputs, as `pulumi stack output --json --show-secrets` gives them.
  const outputs = join(work, "outputs.json");
  const outputNodes = rendered.map((r, i) => ({ name: r.node.name, provider: r.node.provider, region: r.node.region, size: r.node.size, address: [addresses.a, addresses.b][i], links: r.links }));
  writeFileSync(outputs, JSON.stringify({ nodes: outputNodes, summary: { stack, volunteer: fleet.volunteer, expires: fleet.expires } }));
  const share = await lifeline("share", "--outputs", outputs, "--out", join(work, "share"), "--small-fleet", "--reserve", "0", "--per-page", "2", "--key", join(work, "share-key"));
  expect(share.code, share.stderr).toBe(0);
  const pages = readdirSync(join(work, "share")).filter((f) => /^batch-\d+\.html$/.test(f));
  expect(pages).toEqual(["batch-01.html"]);
  page = join(work, "share", pages[0]!);

  // The one-file tool, built as `npm run build` builds it, copied alone into the work folder.
  const { buildInside } = await import("../../scripts/build-scan.cjs");
  copyFileSync(await buildInside(join(work, "build")), join(work, "lifeline-inside.js"));

  await network.blockForClient(addresses.b);
}, 900_000);

afterAll(async () => {
  for (const node of nodes) await node.stop();
  await network?.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe("two nodes behind one censor that has found node B", () => {
  it("lifeline inside, from the client on the share page's links, finds A working and B blocked, and its code says so", async () => {
    const run = await inNamespace("client", [join(work, "lifeline-inside.js"), page, "--lang", "en", "--network", "Test ISP", "--target", network.internet.ip, "--timeout", "5", "--allow-private", "--no-progress"]);
    expect(run.code, run.stderr).toBe(0);
    process.stdout.write(`${run.stdout}\n`);
    const out = run.stdout;
    for (const port of [2053, 8443]) {
      expect(out).toMatch(new RegExp(`\\d +${addresses.a.replace(/\./g, "\\.")}:${port} +\\w+ +works +\\d+ ms`));
      expect(out).toMatch(new RegExp(`\\d +${addresses.b.replace(/\./g, "\\.")}:${port} +\\w+ +no connection +-`));
    }
    expect(out).toContain("1 of 2 servers work.");
    reportCode = out.trim().split("\n").pop()!;
    const report = decodeReport(reportCode);
    expect(report.network).toBe("Test ISP");
    const seen = Object.fromEntries(report.nodes.map((n) => [n.tag, n.relays.map((r) => `${r.kind} ${r.status}`).sort()]));
    expect(seen).toEqual({
      [nodeTag(report.salt, addresses.a)]: ["shadowsocks ok", "socks5 ok"],
      [nodeTag(report.salt, addresses.b)]: ["shadowsocks no-connection", "socks5 no-connection"],
    });
    for (const secret of secrets()) expect(reportCode).not.toContain(secret);
    expect(Buffer.from(reportCode, "base64url").toString("latin1")).not.toContain("198.18.");
  }, 120_000);

  it("lifeline check, from outside, finds both nodes working", async () => {
    const run = await inNamespace("outside", [tsxCli, main, "check", "--outputs", join(work, "outputs.json"), "--target", network.internet.ip, "--timeout", "5", "--allow-private", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const links = (JSON.parse(run.stdout) as { links: Array<{ node: string; address: string; relay: string; status: string }> }).links;
    expect(links.map((l) => `${l.node} ${l.address} ${l.relay} ${l.status}`).sort()).toEqual([
      `do-fra1-0 ${addresses.a} shadowsocks ok`,
      `do-fra1-0 ${addresses.a} socks5 ok`,
      `do-fra1-1 ${addresses.b} shadowsocks ok`,
      `do-fra1-1 ${addresses.b} socks5 ok`,
    ]);
    writeFileSync(outsideCheck, run.stdout);
  }, 120_000);

  it("lifeline blocked --rotate bumps only B's generation in the stack file, keeping its comment", async () => {
    expect(reportCode).toBeDefined();
    const run = await lifeline("blocked", reportCode, "--outside", outsideCheck, "--rotate", "--stacks", stack, "--stacks-dir", work);
    expect(run.code, run.stderr).toBe(0);
    process.stdout.write(`${run.stdout}\n`);
    expect(run.stdout).toMatch(new RegExp(`do-fra1-1 +${addresses.b.replace(/\./g, "\\.")} .* BLOCKED INSIDE +Test ISP`));
    expect(run.stdout).toMatch(/do-fra1-0 .* working +Test ISP/);
    expect(run.stdout).toContain(`Two nodes (stack ${stack}): ${stackPath}: do-fra1-1 -> generation 1\n  then: npx pulumi up --stack ${stack}`);
    const edited = readFileSync(stackPath, "utf8");
    expect(edited.startsWith("# the volunteer's own note: blocked --rotate keeps it\n")).toBe(true);
    expect(parse(edited).config["lifeline:fleet"].rotations).toEqual({ "do-fra1-1": 1 });
  }, 120_000);

  it("the program under the mocks then changes only B's address and secret resources", async () => {
    const rotated = parse(readFileSync(stackPath, "utf8")).config["lifeline:fleet"];
    expect(rotated.rotations).toEqual({ "do-fra1-1": 1 });
    const byKey = (recorded: RecordedResource[]) => new Map(recorded.map((r) => [`${r.type}::${r.name}`, r]));
    const before = byKey((await deployUnderMocks(stack, parse(stackText).config["lifeline:fleet"])).recorded);
    const after = byKey((await deployUnderMocks(stack, rotated)).recorded);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => JSON.stringify(before.get(k)?.inputs) !== JSON.stringify(after.get(k)?.inputs));
    const ofNode = (key: string, node: string) => key.split("::")[1] === node || key.split("::")[1]!.startsWith(`${node}-`);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((k) => !ofNode(k, "do-fra1-1"))).toEqual([]);
    const types = new Set(changed.map((k) => k.split("::")[0]));
    const addressAndSecrets = [
      "digitalocean:index/reservedIp:ReservedIp",
      "digitalocean:index/reservedIpAssignment:ReservedIpAssignment",
      // The droplet carries the new secrets and address in its user data.
      "digitalocean:index/droplet:Droplet",
      "random:index/randomBytes:RandomBytes",
      "random:index/randomPassword:RandomPassword",
    ];
    expect([...types].filter((t) => !addressAndSecrets.includes(t!))).toEqual([]);
    expect(types).toContain("digitalocean:index/reservedIp:ReservedIp");
    for (const key of [...before.keys()].filter((k) => ofNode(k, "do-fra1-0"))) expect(after.get(key)?.inputs, key).toEqual(before.get(key)!.inputs);
  }, 120_000);

  it("the harness takes B's seat away alone, and boots a replacement from the rotated stack at a new address the client reaches", async () => {
    await nodes[1]!.stop();
    await seatB.destroy();
    const namespaces = (await run("ip", ["netns", "list"])).stdout;
    expect(namespaces).not.toContain(`${seatB.plan.ns.node} `);
    expect(namespaces).not.toContain(seatB.plan.ns.internet);
    expect(namespaces).toContain(network.plan.ns.node);
    expect((await run("ip", ["link", "show", seatB.plan.links.hostUpstream])).code).not.toBe(0);

    const seatC = await network.addNode();
    expect(seatC.nodeIp).not.toBe(addresses.b);
    const rotated = parse(readFileSync(stackPath, "utf8")).config["lifeline:fleet"];
    const [replacement] = renderStackNodes(rotated, stackPath, { "do-fra1-1": seatC.nodeIp });
    const node = await bootNode({ userData: replacement!.userData, network: seatC, name: "inside-c" });
    nodes.push(node);
    await node.waitForCloudInit(600_000);
    const outputs = join(work, "replacement.json");
    const entry = { name: "do-fra1-1", provider: "digitalocean", region: "fra1", size: replacement!.node.size, address: seatC.nodeIp, links: replacement!.links };
    writeFileSync(outputs, JSON.stringify({ nodes: [entry], summary: { stack, volunteer: fleet.volunteer, expires: fleet.expires } }));
    const fromClient = await inNamespace("client", [tsxCli, main, "check", "--outputs", outputs, "--target", network.internet.ip, "--timeout", "5", "--allow-private", "--json"]);
    expect(fromClient.code, fromClient.stderr).toBe(0);
    const links = (JSON.parse(fromClient.stdout) as { links: Array<{ address: string; status: string }> }).links;
    expect(links.map((l) => `${l.address} ${l.status}`)).toEqual([`${seatC.nodeIp} ok`, `${seatC.nodeIp} ok`]);
  }, 900_000);
});
