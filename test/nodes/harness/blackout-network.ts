import type { ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execIn } from "./exec-in";
import { debianArchiveAddresses, hostResolver } from "./host-resolver";
import { enableHostForwarding, restoreHostForwardingIfUnused } from "./host-forwarding";
import { INTERNET_PORTS } from "./internet-ports";
import { startNetnsScript } from "./netns-script";
import { planNetwork, type NetworkPlan } from "./network-plan";
import { censorRuleset, hostEgressRuleset } from "./nft-rules";
import { NFT_TABLE_PREFIX, newRunId } from "./paths";
import { registerRun, unregisterRun } from "./run-registry";
import { run, runOk, type CommandResult, type RunOptions } from "./run-command";

export type NetnsRole = "client" | "censor" | "node" | "internet";

export interface BlackoutNetwork {
  plan: NetworkPlan;
  runId: string;
  openPorts: readonly number[];
  /** The client's address ("inside the country"). */
  clientIp: string;
  /** The node's address as the client reaches it: what a link would carry. */
  nodeIp: string;
  /** The stand-in internet host, reachable from the node only. */
  internet: { ip: string; ports: typeof INTERNET_PORTS };
  /** The host resolver the node uses for apt (the only outside address besides the archive). */
  resolverIp: string;
  /** Runs a host command inside one of this network's namespaces (e.g. curl from the client). */
  execIn(role: NetnsRole, cmd: string, args?: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  /** Removes namespaces, links, nft table and servers. Safe to call twice. Stop nodes first. */
  destroy(): Promise<void>;
}

export interface BlackoutNetworkOptions {
  /** TCP ports the censor lets through from client to node. */
  openPorts: readonly number[];
}

/** An upstream /30 (198.19.N.0/30) not already on a host interface (another run may hold one). */
async function freeUpstreamIndex(runId: string): Promise<number> {
  const used = (await runOk("ip", ["-4", "-o", "addr", "show"])).stdout;
  const start = parseInt(runId, 16) % 250;
  for (let i = 0; i < 250; i++) {
    const n = ((start + i) % 250) + 1;
    if (!used.includes(` 198.19.${n}.`)) return n;
  }
  throw new Error("no free 198.19.N.0/30 upstream subnet");
}

const ip = (args: string[]) => runOk("ip", args);

/** client <-> censor <-> node <-> internet, each a veth pair created straight in its namespaces. */
async function buildTopology(p: NetworkPlan): Promise<void> {
  for (const ns of Object.values(p.ns)) {
    await ip(["netns", "add", ns]);
    await ip(["-n", ns, "link", "set", "lo", "up"]);
  }
  const L = p.links;
  await ip(["-n", p.ns.client, "link", "add", L.clientInClient, "type", "veth", "peer", "name", L.clientInCensor, "netns", p.ns.censor]);
  await ip(["-n", p.ns.node, "link", "add", L.nodeToCensor, "type", "veth", "peer", "name", L.nodeInCensor, "netns", p.ns.censor]);
  await ip(["-n", p.ns.node, "link", "add", L.nodeToInternet, "type", "veth", "peer", "name", L.internetInInternet, "netns", p.ns.internet]);
  await ip(["link", "add", L.hostUpstream, "type", "veth", "peer", "name", L.nodeUpstream, "netns", p.ns.node]);

  const addr = async (ns: string | null, dev: string, cidr: string) => {
    const pre = ns === null ? [] : ["-n", ns];
    await ip([...pre, "addr", "add", cidr, "dev", dev]);
    await ip([...pre, "link", "set", dev, "up"]);
  };
  await addr(p.ns.client, L.clientInClient, `${p.client.ip}/${p.client.prefix}`);
  await addr(p.ns.censor, L.clientInCensor, `${p.client.censorIp}/${p.client.prefix}`);
  await addr(p.ns.censor, L.nodeInCensor, `${p.node.censorIp}/${p.node.prefix}`);
  await addr(p.ns.internet, L.internetInInternet, `${p.internet.ip}/${p.internet.prefix}`);
  await addr(null, L.hostUpstream, `${p.upstream.hostIp}/${p.upstream.prefix}`);
  // The node's own interfaces are configured by systemd-networkd inside the node (like a VM's).
  await ip(["-n", p.ns.client, "route", "add", "default", "via", p.client.censorIp]);
  // No default route in the internet namespace: it can answer the node and nothing else.
  await runOk("ip", ["netns", "exec", p.ns.censor, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]);
  // The test internet's servers accept bursts of thousands of connections (benchmarks).
  await runOk("ip", ["netns", "exec", p.ns.internet, "sh", "-c", "echo 65535 > /proc/sys/net/core/somaxconn && echo 65535 > /proc/sys/net/ipv4/tcp_max_syn_backlog"]);
}

/** Starts internet-services.ts in the internet namespace and waits for its READY line. */
async function startInternetServices(p: NetworkPlan): Promise<ChildProcess> {
  const script = join(__dirname, "internet-services.ts");
  return (await startNetnsScript(p.ns.internet, script, [p.internet.ip], "internet services", 30_000)).child;
}

/** Tears down everything a network may own; every step tolerates "already gone". */
async function teardown(p: NetworkPlan, table: string, services: ChildProcess | null): Promise<void> {
  services?.kill("SIGKILL");
  for (const ns of Object.values(p.ns)) {
    // Anything still running in a namespace (servers, a forgotten node) would keep it alive.
    const pids = (await run("ip", ["netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already exited
      }
    }
    await run("ip", ["netns", "del", ns]);
  }
  await run("ip", ["link", "del", p.links.hostUpstream]);
  await run("nft", ["delete", "table", "ip", table]);
  await restoreHostForwardingIfUnused();
  await unregisterRun(p.runId);
}

/**
 * Builds the simulated shutdown: a client behind a censor that passes only `openPorts` to the
 * node, an internet host behind the node, and a restricted upstream for the node's apt.
 */
export async function createBlackoutNetwork(opts: BlackoutNetworkOptions): Promise<BlackoutNetwork> {
  const runId = newRunId();
  await mkdir("/run/lifeline-test", { recursive: true });
  await registerRun(runId);
  const plan = planNetwork(runId, await freeUpstreamIndex(runId));
  const table = `${NFT_TABLE_PREFIX}${runId}`;
  let services: ChildProcess | null = null;
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    await teardown(plan, table, services);
  };
  try {
    const [resolverIp, archive] = await Promise.all([hostResolver(), debianArchiveAddresses()]);
    await buildTopology(plan);
    await runOk("nft", ["-f", "-"], { input: hostEgressRuleset(table, plan, resolverIp, archive) });
    await runOk("ip", ["netns", "exec", plan.ns.censor, "nft", "-f", "-"], { input: censorRuleset(plan, opts.openPorts) });
    await enableHostForwarding();
    services = await startInternetServices(plan);
    return {
      plan,
      runId,
      openPorts: [...opts.openPorts],
      clientIp: plan.client.ip,
      nodeIp: plan.node.ip,
      internet: { ip: plan.internet.ip, ports: INTERNET_PORTS },
      resolverIp,
      execIn: (role, cmd, args = [], o = {}) => execIn(plan.ns[role], cmd, args, o),
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
