import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGoPeer, versitygwPeer } from "../peers/go-peers";
import { parseVlessLink } from "../peers/vless-link";
import { raisedQuotas } from "../unit/support/fixtures";
import { bootNode, cleanupStaleState, createBlackoutNetwork, KNOWN_PAGE, type BlackoutNetwork, type NodeHandle } from "./harness";
import { runOk } from "./harness/run-command";
import { curlThroughProxy } from "./support/clients";
import { startFrontingSite } from "./support/fronting-site";
import { startMirror } from "./support/mirror";
import { waitUntil } from "./support/node-session";
import { parseSip002, startSsLocal } from "./support/shadowsocks-client";
import { createTestPki, type TestPki } from "./support/test-pki";
import { renderStackNodes, type RenderedNode } from "./support/test-stack";
import { startXrayClient } from "./support/xray-client";
import { vlessTestRelay } from "./support/xray-release";

// Issue 18 end to end: a node with vless and Shadowsocks relays (one batch) boots from its real
// user data; `lifeline share --publish` uploads its page and subscription to a real S3 server
// (versitygw, over TLS from the test PKI) on a host abroad, which the censor lets the client
// reach on 443, as blocking a big CDN costs it too much. The client fetches the subscription at
// the URL the published page carries, decodes it as the apps do and connects through the censor
// with the real Xray client and ss-local. Then the node is rotated (new address, new secrets,
// booted from new user data, the old seat gone), published again, and the same URL leads the
// client through the new node, the old links gone from it.
const stack = "subs";
const work = mkdtempSync(join(tmpdir(), "lifeline-subscription-"));
const stackPath = join(work, `Pulumi.${stack}.yaml`);
const tsxCli = createRequire(__filename).resolve("tsx/cli");
const main = join(__dirname, "..", "..", "src", "cli", "main.ts");
const nodeName = "do-fra1-0";
/** The share stack's CDN host name, served by the S3 server abroad. */
const cdnHost = "subs.cdn.test";
const bucket = "subs-eu";
const region = "eu-central-1";
const s3Keys = { AWS_ACCESS_KEY_ID: `test${randomBytes(8).toString("hex")}`, AWS_SECRET_ACCESS_KEY: randomBytes(24).toString("base64url") };

let network: BlackoutNetwork;
let pki: TestPki;
let s3: ChildProcess | undefined;
const nodes: NodeHandle[] = [];
let fleet: Record<string, unknown>;
/** What the published page carries for the batch: its subscription URL and Outline's ssconf:// key. */
let published: { subscription: string; ssconf: string };

/** Each node seat gets the test internet's mirror (Xray's zip) and the REALITY target site. */
async function seatWithInternet(mirrorDir: string, name: string): Promise<BlackoutNetwork> {
  const seat = await network.addNode();
  await startMirror(seat, mirrorDir);
  const dir = join(work, name);
  mkdirSync(dir);
  await startFrontingSite(seat, pki, dir);
  return seat;
}

async function bootOn(seat: BlackoutNetwork, fleetConfig: unknown, name: string): Promise<RenderedNode> {
  const [rendered] = renderStackNodes(fleetConfig, stackPath, { [nodeName]: seat.nodeIp });
  const started = Date.now();
  const node = await bootNode({ userData: rendered!.userData, network: seat, name, trustedCaPem: pki.caPem });
  nodes.push(node);
  await node.waitForCloudInit(600_000);
  process.stdout.write(`${name} booted, cloud-init done, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return rendered!;
}

/** The fleet stack's outputs, as `pulumi stack output --json --show-secrets` gives them. */
function writeFleetOutputs(file: string, rendered: RenderedNode, address: string): string {
  const entry = { name: nodeName, provider: "digitalocean", region: "fra1", size: rendered.node.size, address, links: rendered.links };
  writeFileSync(file, JSON.stringify({ nodes: [entry], summary: { stack, volunteer: "Subscriptions", expires: "2027-01-31" } }), { mode: 0o600 });
  return file;
}

/** The organizer runs `lifeline share --publish` from a machine abroad (the outside namespace). */
async function publish(fleetOutputs: string, out: string) {
  const env = { ...process.env, ...s3Keys, NODE_EXTRA_CA_CERTS: pki.caFile, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: join(work, "none"), AWS_SHARED_CREDENTIALS_FILE: join(work, "none") };
  const args = [tsxCli, main, "share", "--outputs", fleetOutputs, "--out", out, "--key", join(work, "share-key"), "--lang", "en", "--reserve", "0", "--small-fleet", "--publish", join(work, "share-stack.json")];
  const r = await network.execIn("outside", process.execPath, args, { env, cwd: work, timeoutMs: 180_000 });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`to ${bucket} (aws, read at ${cdnHost})`);
  return r;
}

/** An https GET from the client's namespace (inside the country), trusting the test internet's root. */
async function fetchFromClient(url: string): Promise<string> {
  const r = await network.execIn("client", "curl", ["--silent", "--show-error", "--fail", "--max-time", "15", "--cacert", pki.caFile, "--resolve", `${cdnHost}:443:${network.outsideIp}`, url]);
  expect(r.stderr, url).toBe("");
  return r.stdout;
}

/** The subscription as v2rayNG and the other apps read it: base64, one link a line; and Outline's SIP008. */
async function readSubscription() {
  const list = Buffer.from(await fetchFromClient(published.subscription), "base64").toString("utf8").split("\n").filter((l) => l !== "");
  const sip008 = JSON.parse(await fetchFromClient(published.ssconf.replace(/^ssconf:/, "https:"))) as { version: number; servers: Array<Record<string, unknown>> };
  return { list, sip008 };
}

/** The address of every server the subscription names (list and SIP008): what a failure may print, unlike the links' secrets. */
function servedAddresses(sub: Awaited<ReturnType<typeof readSubscription>>): string[] {
  return [...sub.list.map((l) => (l.startsWith("vless://") ? parseVlessLink(l).address : parseSip002(l).server)), ...sub.sip008.servers.map((s) => String(s["server"]))];
}

/** Connects with the real Xray client from the vless link and with ss-local from the ss link and the SIP008 entry; each fetches the test internet's page. */
async function connectWithEveryClient(sub: Awaited<ReturnType<typeof readSubscription>>) {
  const vless = sub.list.filter((l) => l.startsWith("vless://"));
  const ss = sub.list.filter((l) => l.startsWith("ss://"));
  expect([vless.length, ss.length, sub.list.length, sub.sip008.servers.length]).toEqual([1, 1, 2, 1]);
  const xray = await startXrayClient(network, parseVlessLink(vless[0]!));
  try {
    const r = await curlThroughProxy(network, xray.socksUrl);
    expect(r.stdout, xray.log()).toBe(KNOWN_PAGE);
  } finally {
    xray.stop();
  }
  for (const server of [parseSip002(ss[0]!), sub.sip008.servers[0]!]) {
    const ssLocal = await startSsLocal(network, server);
    try {
      const r = await curlThroughProxy(network, ssLocal.socksUrl);
      expect(r.stdout, r.stderr).toBe(KNOWN_PAGE);
    } finally {
      ssLocal.stop();
    }
  }
  return { vless: vless[0]!, ss: ss[0]! };
}

beforeAll(async () => {
  await cleanupStaleState();
  const started = Date.now();
  network = await createBlackoutNetwork({ openPorts: [443, 2053] });
  pki = createTestPki(join(work, "pki"));
  const mirrorDir = join(work, "mirror");
  const vless = await vlessTestRelay(mirrorDir, 443);
  fleet = {
    volunteer: "Subscriptions",
    openPorts: [443, 2053],
    artifactMirror: `http://${network.internet.ip}:8080`,
    relays: [vless, { kind: "shadowsocks", port: 2053 }],
    groups: [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 }],
    budgetPerDay: 5,
    quotas: raisedQuotas(),
    expires: "2027-01-31",
  };
  writeFileSync(stackPath, stringify({ config: { "lifeline:fleet": fleet } }));
  writeFileSync(join(work, "share-key"), `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });

  // The share stack abroad: versitygw with a certificate from the test PKI for the CDN name and
  // the API's address, its keys through the environment.
  const cert = pki.issue("cdn", { dns: [cdnHost], ip: [network.outsideIp] });
  const data = join(work, "s3-data");
  mkdirSync(data);
  s3 = spawn("ip", ["netns", "exec", network.plan.ns.outside, await buildGoPeer(versitygwPeer), "--port", `${network.outsideIp}:443`, "--cert", cert.certFile, "--key", cert.keyFile, "--region", region, "--quiet", "--health", "/health", "posix", data], {
    env: { PATH: process.env["PATH"] ?? "", ROOT_ACCESS_KEY_ID: s3Keys.AWS_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY: s3Keys.AWS_SECRET_ACCESS_KEY },
    stdio: "ignore",
  });
  const endpoint = `https://${network.outsideIp}`;
  await waitUntil(async () => (await network.execIn("outside", "curl", ["-sf", "--cacert", pki.caFile, `${endpoint}/health`])).code === 0, 30_000, "versitygw answering abroad");
  const made = await network.execIn("outside", process.execPath, [tsxCli, join(__dirname, "support", "share-bucket.ts"), endpoint, region, bucket], { env: { ...process.env, ...s3Keys, NODE_EXTRA_CA_CERTS: pki.caFile } });
  expect(made.stdout, made.stderr).toBe("READY\n");
  writeFileSync(join(work, "share-stack.json"), JSON.stringify({ share: { provider: "aws", bucket, region, endpoint, baseUrl: `https://${cdnHost}/${bucket}/` } }));
  process.stdout.write(`network, Xray on the mirror and the S3 server abroad ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 900_000);

afterAll(async () => {
  for (const node of nodes) await node.stop();
  s3?.kill("SIGKILL");
  await network?.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe("a batch's subscription, published abroad, follows its node through a rotation", () => {
  let first: { seat: BlackoutNetwork; links: { vless: string; ss: string } };

  it("the censor passes the client to the CDN host's 443 only once it is told to (blocking a big CDN costs it too much)", async () => {
    const before = await network.execIn("client", "curl", ["--silent", "--max-time", "3", "--cacert", pki.caFile, `https://${network.outsideIp}/health`]);
    expect(before.code).not.toBe(0);
    const { clientInCensor, outsideInCensor } = network.plan.links;
    await runOk("ip", ["netns", "exec", network.plan.ns.censor, "nft", `add rule inet censor forward iifname "${clientInCensor}" oifname "${outsideInCensor}" ip daddr ${network.outsideIp} tcp dport 443 ct state new accept`]);
    const after = await network.execIn("client", "curl", ["--silent", "--fail", "--max-time", "10", "--cacert", pki.caFile, `https://${network.outsideIp}/health`]);
    expect(after.code).toBe(0);
  });

  it("a node with vless and Shadowsocks boots; share --publish uploads its batch; the client fetches the page's subscription URL and connects through the censor with Xray and ss-local", async () => {
    const seat = await seatWithInternet(join(work, "mirror"), "seat-a");
    const rendered = await bootOn(seat, fleet, "subs-a");
    const out = join(work, "share-1");
    const started = Date.now();
    await publish(writeFleetOutputs(join(work, "fleet-1.json"), rendered, seat.nodeIp), out);
    process.stdout.write(`share --publish took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    // What the organizer hands out, and what the published page carries: the same URLs.
    const addresses = readFileSync(join(out, "published.txt"), "utf8");
    const page = /^ {2}page (\S+)$/m.exec(addresses)![1]!;
    const subscription = /^ {2}subscription (\S+)$/m.exec(addresses)![1]!;
    expect(subscription.startsWith(`https://${cdnHost}/${bucket}/sub/`)).toBe(true);
    const html = await fetchFromClient(page);
    // Booleans, not the page: a failure must not print the links' secrets.
    expect(html.includes(`href="${subscription}"`), "the published page carries the subscription URL").toBe(true);
    const ssconf = /"(ssconf:\/\/[^"]+)"/.exec(html)?.[1];
    expect(ssconf).toBe(`ssconf://${cdnHost}${new URL(subscription).pathname}.json`);
    published = { subscription, ssconf: ssconf! };

    const sub = await readSubscription();
    expect(sub.sip008.version).toBe(1);
    expect(servedAddresses(sub)).toEqual([seat.nodeIp, seat.nodeIp, seat.nodeIp]);
    const links = await connectWithEveryClient(sub);
    first = { seat, links };
  }, 900_000);

  it("after a rotation (new address and secrets, booted from new user data, the old seat gone) and a second publish, the same URL leads the client through the new node, and the old links are gone", async () => {
    expect(first).toBeDefined();
    // The rotation as `lifeline blocked --rotate` writes it into the stack file.
    const config = parse(readFileSync(stackPath, "utf8"));
    config.config["lifeline:fleet"].rotations = { [nodeName]: 1 };
    writeFileSync(stackPath, stringify(config));
    const rotated = parse(readFileSync(stackPath, "utf8")).config["lifeline:fleet"];

    const seat = await seatWithInternet(join(work, "mirror"), "seat-b");
    expect(seat.nodeIp).not.toBe(first.seat.nodeIp);
    const rendered = await bootOn(seat, rotated, "subs-b");
    await nodes[0]!.stop();
    await first.seat.destroy();

    const out = join(work, "share-2");
    await publish(writeFleetOutputs(join(work, "fleet-2.json"), rendered, seat.nodeIp), out);
    // Nothing new to hand out: the same page and subscription addresses.
    const addresses = readFileSync(join(out, "published.txt"), "utf8");
    expect(addresses).toBe(readFileSync(join(work, "share-1", "published.txt"), "utf8"));

    // The same URL now serves the new node alone: its address, new secrets, no old link.
    const sub = await readSubscription();
    expect(servedAddresses(sub)).toEqual([seat.nodeIp, seat.nodeIp, seat.nodeIp]);
    const served = JSON.stringify(sub);
    for (const old of [first.links.vless, first.links.ss, parseVlessLink(first.links.vless).userId, parseSip002(first.links.ss).password]) {
      expect(served.includes(old), "the subscription still holds the old node's link or secret").toBe(false);
    }
    const links = await connectWithEveryClient(sub);
    expect(links.vless === first.links.vless || links.ss === first.links.ss).toBe(false);

    // The page at the same address carries the same subscription and only the new node.
    const page = await fetchFromClient(/^ {2}page (\S+)$/m.exec(addresses)![1]!);
    expect(page.includes(`href="${published.subscription}"`), "the page carries the same subscription URL").toBe(true);
    expect(page.includes(first.seat.nodeIp), "the page still names the old node").toBe(false);
  }, 900_000);
});
