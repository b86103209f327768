import { LINK_PREFIX, NETNS_PREFIX } from "./paths";

/**
 * Addresses and names for one blackout network. All test addresses come from 198.18.0.0/15
 * (reserved for network benchmarking), so nothing a test sends can reach a real host.
 *
 *   client (198.18.1.2) -- censor -- (198.18.2.2) node (198.18.3.1) -- internet (198.18.3.2)
 *                            |                      |
 *        outside (198.18.0.2)              upstream 198.19.N.2/30 -- host 198.19.N.1 (apt only)
 *
 * Inside the namespaces the addresses are fixed (namespaces cannot collide). Only the upstream
 * link lives partly in the host namespace, so its /30 is chosen per run (see `upstreamIndex`).
 *
 * More nodes can sit behind the same censor (`planSeat`): seat k has its own node and internet
 * namespaces, the address 198.18.(3+k).2 on the censor side and its own upstream /30; its
 * internet has the same fixed addresses as the first, each seen by its own node only.
 */
export interface NetworkPlan {
  runId: string;
  ns: { client: string; censor: string; node: string; internet: string; outside: string };
  client: { ip: string; censorIp: string; prefix: number };
  /** A checker abroad: the censor passes everything between it and the nodes. */
  outside: { ip: string; censorIp: string; prefix: number; subnet: string };
  /** 0 for the network's first node; k for the node of `planSeat(plan, k, ...)`. */
  seat: number;
  /** The node's address as the client sees it: what a proxy link handed out would carry. */
  node: { ip: string; censorIp: string; prefix: number };
  internet: { ip: string; nodeIp: string; prefix: number; subnet: string };
  upstream: { hostIp: string; nodeIp: string; prefix: number; subnet: string };
  /** Interface names. Node-side names are what the node's networkd config matches. */
  links: {
    clientInClient: string;
    clientInCensor: string;
    outsideInOutside: string;
    outsideInCensor: string;
    nodeInCensor: string;
    nodeToCensor: string;
    nodeToInternet: string;
    internetInInternet: string;
    nodeUpstream: string;
    hostUpstream: string;
  };
}

export function planNetwork(runId: string, upstreamIndex: number): NetworkPlan {
  return {
    runId,
    ns: {
      client: `${NETNS_PREFIX}${runId}-client`,
      censor: `${NETNS_PREFIX}${runId}-censor`,
      node: `${NETNS_PREFIX}${runId}-node`,
      internet: `${NETNS_PREFIX}${runId}-internet`,
      outside: `${NETNS_PREFIX}${runId}-outside`,
    },
    client: { ip: "198.18.1.2", censorIp: "198.18.1.1", prefix: 24 },
    outside: { ip: "198.18.0.2", censorIp: "198.18.0.1", prefix: 24, subnet: "198.18.0.0/24" },
    seat: 0,
    node: { ip: "198.18.2.2", censorIp: "198.18.2.1", prefix: 24 },
    internet: { ip: "198.18.3.2", nodeIp: "198.18.3.1", prefix: 24, subnet: "198.18.3.0/24" },
    upstream: upstreamPlan(upstreamIndex),
    links: {
      // Names in different namespaces may repeat; host-side names carry the run id.
      clientInClient: "eth0",
      clientInCensor: "to-client",
      outsideInOutside: "eth0",
      outsideInCensor: "to-outside",
      nodeInCensor: "to-node",
      nodeToCensor: "eth0",
      nodeToInternet: "eth1",
      internetInInternet: "eth0",
      nodeUpstream: "eth2",
      hostUpstream: `${LINK_PREFIX}${runId}up`,
    },
  };
}

function upstreamPlan(index: number): NetworkPlan["upstream"] {
  return { hostIp: `198.19.${index}.1`, nodeIp: `198.19.${index}.2`, prefix: 30, subnet: `198.19.${index}.0/30` };
}

/** Seats 1..MAX_SEAT: the censor-side subnet 198.18.(3+k).0/24 must stay below 198.18.255. */
export const MAX_SEAT = 250;

/**
 * The plan of seat `seat` (1 or more) of `first`'s network: client, censor and outside are
 * shared; the node, its internet and its upstream are its own.
 */
export function planSeat(first: NetworkPlan, seat: number, upstreamIndex: number): NetworkPlan {
  if (!Number.isInteger(seat) || seat < 1 || seat > MAX_SEAT) throw new Error(`seat must be 1 to ${MAX_SEAT}, not ${seat}`);
  const { runId } = first;
  const net = `198.18.${3 + seat}`;
  return {
    ...first,
    ns: { ...first.ns, node: `${first.ns.node}${seat}`, internet: `${first.ns.internet}${seat}` },
    seat,
    node: { ip: `${net}.2`, censorIp: `${net}.1`, prefix: 24 },
    upstream: upstreamPlan(upstreamIndex),
    links: { ...first.links, nodeInCensor: `${first.links.nodeInCensor}${seat}`, hostUpstream: `${LINK_PREFIX}${runId}up${seat}` },
  };
}
