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
  ssh: { enabled: boolean; publicKeys: string[] };
  artifactMirror: string | undefined;
  abuse: AbuseControls;
  usdPerHour: number;
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
  usdPerHour: number;
  usdPerDay: number;
  /** Whole days from today until the expiry date (at least 0). */
  daysToExpiry: number;
  usdToExpiry: number;
  /** Where the prices come from and what they leave out (egress, regions), per provider used. */
  notes: string[];
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
}
