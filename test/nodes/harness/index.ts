/**
 * Test harness for booting real Debian 12 nodes from cloud-init user-data behind a simulated
 * censor. Typical use in a vitest file:
 *
 *   await cleanupStaleState();
 *   const network = await createBlackoutNetwork({ openPorts: [443] });
 *   const node = await bootNode({ userData, network, name: "relay" });
 *   await node.waitForCloudInit();
 *   await network.execIn("client", "curl", [...]);
 *   await node.stop(); await network.destroy();
 *
 * More nodes behind the same censor: `const seat = await network.addNode()`, then
 * `bootNode({ userData, network: seat, name: "b" })`; `network.blockForClient(seat.nodeIp)`
 * cuts one off for the client while `execIn("outside", ...)` still reaches it.
 */
export { ensureBaseImage } from "./image";
export { createBlackoutNetwork, type BlackoutNetwork, type BlackoutNetworkOptions, type NetnsRole } from "./blackout-network";
export { bootNode, type BootNodeOptions, type NodeHandle } from "./boot-node";
export { execIn } from "./exec-in";
export type { NodeLimits } from "./resource-limits";
export { cleanupStaleState } from "./stale-cleanup";
export { DNS_BANNER, INTERNET_PORTS, KNOWN_PAGE, SMTP_BANNER, MINING_POOL_BANNER } from "./internet-ports";
export type { NetworkPlan } from "./network-plan";
export type { CommandResult, RunOptions } from "./run-command";
