import type { ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execIn } from "./exec-in";
import { debianArchiveAddresses, hostResolver } from "./host-resolver";
import { enableHostForwarding, restoreHostForwardingIfUnused } from "./host-forwarding";
import { INTERNET_PORTS } from "./internet-ports";
import { startNetnsScript } from "./netns-script";
import { planNetwork, planSeat, type NetworkPlan } from "./network-plan";
import { censorRuleset, clientToNodeRule, hostEgressRuleset } from "./nft-rules";
import { NFT_TABLE_PREFIX, newRunId } from "./paths";
import { registerRun, unregisterRun } from "./run-registry";
import { run, runOk, type CommandResult, type RunOptions } from "./run-command";

export type NetnsRole = "client" | "censor" | "node" | "internet" | "outside";

export interface BlackoutNetwork {
  plan: NetworkPlan;
  runId: string;
  openPorts: readonly number[];
  /** The client's address ("inside the country"). */
  clientIp: string;
  /** The node's address as the client reaches it: what a link would carry. */
  nodeIp: string;
  /** A checker abroad, past no censor: `execIn("outside", ...)` runs there. */
  outsideIp: string;
  /** The stand-in internet host, reachable from the node only. */
  internet: { ip: string; ports: typeof INTERNET_PORTS };
  /** The host resolver the node uses for apt (the only outside address besides the archive). */
  resolverIp: string;
  /** Runs a host command inside one of this network's namespaces (e.g. curl from the client). */
  execIn(role: NetnsRole, cmd: string, args?: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  /**
   * One more node seat behind the same censor (same client and outside), with its own address,
   * internet and upstream, the same open ports. Boot a node into it by passing it as `network`.
   * Its `execIn("node" | "internet")` runs in its own namespaces; its `destroy` removes only it.
   */
  addNode(): Promise<BlackoutNetwork>;
  /** The censor drops everything from the client to this address (a found node); the outside still passes. */
  blockForClient(address: string): Promise<void>;
  unblockForClient(address: string): Promise<void>;
  /** Removes namespaces, links, nft table and servers (of every seat too). Safe to call twice. Stop nodes first. */
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

const addr = async (ns: string | null, dev: string, cidr: string) => {
  const pre = ns === null ? [] : ["-n", ns];
  await ip([...pre, "addr", "add", cidr, "dev", dev]);
  await ip([...pre, "link", "set", dev, "up"]);
};

async function addNamespace(ns: string): Promise<void> {
  await ip(["netns", "add", ns]);
  await ip(["-n", ns, "link", "set", "lo", "up"]);
}

/** client <-> censor <-> outside, each a veth pair created straight in its namespaces; then the first seat. */
async function buildTopology(p: NetworkPlan): Promise<void> {
  for (const ns of [p.ns.client, p.ns.censor, p.ns.outside]) await addNamespace(ns);
  const L = p.links;
  await ip(["-n", p.ns.client, "link", "add", L.clientInClient, "type", "veth", "peer", "name", L.clientInCensor, "netns", p.ns.censor]);
  await ip(["-n", p.ns.outside, "link", "add", L.outsideInOutside, "type", "veth", "peer", "name", L.outsideInCensor, "netns", p.ns.censor]);
  await addr(p.ns.client, L.clientInClient, `${p.client.ip}/${p.client.prefix}`);
  await addr(p.ns.censor, L.clientInCensor, `${p.client.censorIp}/${p.client.prefix}`);
  await addr(p.ns.outside, L.outsideInOutside, `${p.outside.ip}/${p.outside.prefix}`);
  await addr(p.ns.censor, L.outsideInCensor, `${p.outside.censorIp}/${p.outside.prefix}`);
  await ip(["-n", p.ns.client, "route", "add", "default", "via", p.client.censorIp]);
  await ip(["-n", p.ns.outside, "route", "add", "default", "via", p.outside.censorIp]);
  await runOk("ip", ["netns", "exec", p.ns.censor, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]);
  await buildSeatTopology(p);
}

/** One seat: censor <-> node <-> internet, and the node's upstream link from the host. */
async function buildSeatTopology(p: NetworkPlan): Promise<void> {
  for (const ns of [p.ns.node, p.ns.internet]) await addNamespace(ns);
  const L = p.links;
  await ip(["-n", p.ns.node, "link", "add", L.nodeToCensor, "type", "veth", "peer", "name", L.nodeInCensor, "netns", p.ns.censor]);
  await ip(["-n", p.ns.node, "link", "add", L.nodeToInternet, "type", "veth", "peer", "name", L.internetInInternet, "netns", p.ns.internet]);
  await ip(["link", "add", L.hostUpstream, "type", "veth", "peer", "name", L.nodeUpstream, "netns", p.ns.node]);
  await addr(p.ns.censor, L.nodeInCensor, `${p.node.censorIp}/${p.node.prefix}`);
  await addr(p.ns.internet, L.internetInInternet, `${p.internet.ip}/${p.internet.prefix}`);
  await addr(null, L.hostUpstream, `${p.upstream.hostIp}/${p.upstream.prefix}`);
  // The node's own interfaces are configured by systemd-networkd inside the node (like a VM's).
  // No default route in the internet namespace: it can answer the node and nothing else.
  // The test internet's servers accept bursts of thousands of connections (benchmarks).
  await runOk("ip", ["netns", "exec", p.ns.internet, "sh", "-c", "echo 65535 > /proc/sys/net/core/somaxconn && echo 65535 > /proc/sys/net/ipv4/tcp_max_syn_backlog"]);
}

/** Starts internet-services.ts in the internet namespace and waits for its READY line. */
async function startInternetServices(p: NetworkPlan): Promise<ChildProcess> {
  const script = join(__dirname, "internet-services.ts");
  return (await startNetnsScript(p.ns.internet, script, [p.internet.ip], "internet services", 30_000)).child;
}

/** Kills what still runs in each namespace (it would keep it alive), then deletes it. */
async function removeNamespaces(names: readonly string[]): Promise<void> {
  for (const ns of names) {
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
}

/** Everything a seat owns: its servers, namespaces, upstream link and host table. Tolerates "already gone". */
async function teardownSeat(p: NetworkPlan, table: string, services: ChildProcess | null): Promise<void> {
  services?.kill("SIGKILL");
  await removeNamespaces([p.ns.node, p.ns.internet]);
  await run("ip", ["link", "del", p.links.hostUpstream]);
  await run("nft", ["delete", "table", "ip", table]);
}

/** The host-side part of a seat: its upstream's nft table, then the internet's servers. */
async function startSeat(p: NetworkPlan, table: string, resolverIp: string, archive: readonly string[]): Promise<ChildProcess> {
  await runOk("nft", ["-f", "-"], { input: hostEgressRuleset(table, p, resolverIp, archive) });
  await enableHostForwarding();
  return startInternetServices(p);
}

/**
 * Builds the simulated shutdown: a client behind a censor that passes only `openPorts` to the
 * node, an internet host behind the node, a restricted upstream for the node's apt, and a
 * checker outside the censor. `addNode` puts more nodes behind the same censor.
 */
export async function createBlackoutNetwork(opts: BlackoutNetworkOptions): Promise<BlackoutNetwork> {
  const runId = newRunId();
  await mkdir("/run/lifeline-test", { recursive: true });
  await registerRun(runId);
  const plan = planNetwork(runId, await freeUpstreamIndex(runId));
  const table = `${NFT_TABLE_PREFIX}${runId}`;
  const openPorts = [...opts.openPorts];
  /** Teardowns of the seats added later, each removing itself from here once done. */
  const addedSeats = new Set<() => Promise<void>>();
  let services: ChildProcess | null = null;
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    for (const removeSeat of [...addedSeats]) await removeSeat();
    await teardownSeat(plan, table, services);
    await removeNamespaces([plan.ns.client, plan.ns.censor, plan.ns.outside]);
    await restoreHostForwardingIfUnused();
    await unregisterRun(runId);
  };
  const censorNft = (input: string) => runOk("ip", ["netns", "exec", plan.ns.censor, "nft", "-f", "-"], { input });
  const blockedSetEdit = (verb: "add" | "delete") => async (address: string) => {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) throw new Error(`not an IPv4 address: "${address}"`);
    await censorNft(`${verb} element inet censor client_blocked { ${address} }\n`);
  };
  try {
    const [resolverIp, archive] = await Promise.all([hostResolver(), debianArchiveAddresses()]);
    await buildTopology(plan);
    await censorNft(censorRuleset(plan, openPorts));
    services = await startSeat(plan, table, resolverIp, archive);
    let nextSeat = 1;

    const view = (p: NetworkPlan, destroyThis: () => Promise<void>): BlackoutNetwork => ({
      plan: p,
      runId,
      openPorts,
      clientIp: p.client.ip,
      nodeIp: p.node.ip,
      outsideIp: p.outside.ip,
      internet: { ip: p.internet.ip, ports: INTERNET_PORTS },
      resolverIp,
      execIn: (role, cmd, args = [], o = {}) => execIn(p.ns[role], cmd, args, o),
      addNode,
      blockForClient: blockedSetEdit("add"),
      unblockForClient: blockedSetEdit("delete"),
      destroy: destroyThis,
    });

    async function addNode(): Promise<BlackoutNetwork> {
      if (destroyed) throw new Error("this network was destroyed: create a new one");
      // Seat numbers are never reused, so a replacement node gets a new address (as a rotation does).
      const seatPlan = planSeat(plan, nextSeat++, await freeUpstreamIndex(runId));
      const seatTable = `${table}_${seatPlan.seat}`;
      let seatServices: ChildProcess | null = null;
      let removed = false;
      const removeSeat = async () => {
        if (removed) return;
        removed = true;
        addedSeats.delete(removeSeat);
        await teardownSeat(seatPlan, seatTable, seatServices);
      };
      addedSeats.add(removeSeat);
      try {
        await buildSeatTopology(seatPlan);
        const rule = clientToNodeRule(seatPlan, openPorts);
        if (rule !== "") await censorNft(`add rule inet censor forward ${rule}\n`);
        seatServices = await startSeat(seatPlan, seatTable, resolverIp, archive);
      } catch (e) {
        await removeSeat();
        throw e;
      }
      return view(seatPlan, removeSeat);
    }

    return view(plan, destroy);
  } catch (e) {
    await destroy();
    throw e;
  }
}
