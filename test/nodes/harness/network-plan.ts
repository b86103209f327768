import { LINK_PREFIX, NETNS_PREFIX } from "./paths";

/**
 * Addresses and names for one blackout network. All test addresses come from 198.18.0.0/15
 * (reserved for network benchmarking), so nothing a test sends can reach a real host.
 *
 *   client (198.18.1.2) -- censor -- (198.18.2.2) node (198.18.3.1) -- internet (198.18.3.2)
 *                                                   |
 *                                      upstream 198.19.N.2/30 -- host 198.19.N.1 (apt only)
 *
 * Inside the namespaces the addresses are fixed (namespaces cannot collide). Only the upstream
 * link lives partly in the host namespace, so its /30 is chosen per run (see `upstreamIndex`).
 */
export interface NetworkPlan {
  runId: string;
  ns: { client: string; censor: string; node: string; internet: string };
  client: { ip: string; censorIp: string; prefix: number };
  /** The node's address as the client sees it: what a proxy link handed out would carry. */
  node: { ip: string; censorIp: string; prefix: number };
  internet: { ip: string; nodeIp: string; prefix: number; subnet: string };
  upstream: { hostIp: string; nodeIp: string; prefix: number; subnet: string };
  /** Interface names. Node-side names are what the node's networkd config matches. */
  links: {
    clientInClient: string;
    clientInCensor: string;
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
    },
    client: { ip: "198.18.1.2", censorIp: "198.18.1.1", prefix: 24 },
    node: { ip: "198.18.2.2", censorIp: "198.18.2.1", prefix: 24 },
    internet: { ip: "198.18.3.2", nodeIp: "198.18.3.1", prefix: 24, subnet: "198.18.3.0/24" },
    upstream: {
      hostIp: `198.19.${upstreamIndex}.1`,
      nodeIp: `198.19.${upstreamIndex}.2`,
      prefix: 30,
      subnet: `198.19.${upstreamIndex}.0/30`,
    },
    links: {
      // Names in different namespaces may repeat; host-side names carry the run id.
      clientInClient: "eth0",
      clientInCensor: "to-client",
      nodeInCensor: "to-node",
      nodeToCensor: "eth0",
      nodeToInternet: "eth1",
      internetInInternet: "eth0",
      nodeUpstream: "eth2",
      hostUpstream: `${LINK_PREFIX}${runId}up`,
    },
  };
}
