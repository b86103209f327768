import type { Arch, ProviderName } from "../catalog";
import type { OptInRegionUse, QuotaNeed } from "./quotas";

export interface PlannedRelay {
  kind: string;
  port: number;
  options: Record<string, unknown>;
}

/** What a node is for: serving relays, or answering scans on every port (`lifeline scan`). */
export type NodeRole = "relay" | "probe";

/** One VM, with everything its cloud-config needs except its address and generated secrets. */
export interface PlannedNode {
  role: NodeRole;
  /** Stable identity: `<provider prefix>-<region>-<index>`, e.g. `do-fra1-0`. */
  name: string;
  /** `<region>-<index>`: a neutral label for links on people's phones (no product, no provider). */
  label: string;
  provider: ProviderName;
  region: string;
  size: string;
  arch: Arch;
  image: "debian-12";
  relays: PlannedRelay[];
  /** TCP ports the node serves to the world: relays, plus 22 when SSH is on (a probe: 22 when SSH is on, besides every other port). */
  openTcpPorts: number[];
  /**
   * TCP ports a certificate authority must reach from outside the blackout to validate a
   * relay's certificate (80 for the https relay): the cloud firewall opens them, while the
   * node's own firewall opens them only for the seconds a validation takes.
   */
  validationTcpPorts: number[];
  ssh: { enabled: boolean; publicKeys: string[] };
  artifactMirror: string | undefined;
  abuse: AbuseControls;
  /** VM, public address and disk per hour in its region (traffic is priced per stack). */
  usdPerHour: number;
  /**
   * 0 until the node is rotated (`rotations` in the config); each generation has its own
   * address and secrets.
   */
  generation: number;
  /** When the node stops serving: the end of the stack's `expires` day, UTC (ISO 8601). */
  expiresAt: string;
}

/** What relay users may do from a node (see src/abuse/defaults.ts). */
export interface AbuseControls {
  allowedPorts: number[];
  /** Ports (`25`) and inclusive ranges (`"6881-6999"`). */
  blockedPorts: Array<number | string>;
  maxConnectionsPerClient: number;
  bandwidthMbit: number | undefined;
}

export interface FleetCost {
  /** VMs, addresses and disks per hour. */
  usdPerHour: number;
  /** GB each node is expected to send out a day, and what that traffic costs a day. */
  trafficGbPerNodeDay: number;
  trafficUsdPerDay: number;
  /** Everything a day, traffic included: what the budget is checked against. */
  usdPerDay: number;
  /** Days from today through the expiry day (the nodes serve until its end). */
  daysToExpiry: number;
  usdToExpiry: number;
  /** Where the prices come from and what they leave out (egress, regions), per provider used. */
  notes: string[];
  /** Said loudly: on AWS, traffic is the main cost. */
  warnings: string[];
}

export interface FleetPlan {
  volunteer: string;
  expires: string;
  budgetPerDay: number;
  /** Relay nodes. */
  nodes: PlannedNode[];
  /** The stack's probe node, when it declares one. */
  probe: PlannedNode | undefined;
  /** Relay nodes and the probe. */
  cost: FleetCost;
  /** Account limits the nodes count against (all within the declared or default limits). */
  quotaNeeds: QuotaNeed[];
  /** Opt-in regions the nodes use (all declared enabled). */
  optInRegions: OptInRegionUse[];
  /** Replaced VMs are deleted before their replacement is created (`replaceInPlace`). */
  replaceInPlace: boolean;
}
