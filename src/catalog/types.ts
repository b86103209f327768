/** CPU architecture of a node; it decides which relay binaries and which image a node gets. */
export type Arch = "amd64" | "arm64";

export type ProviderName = "digitalocean" | "aws";

/** One machine size a provider sells, with what an organizer needs to choose it. */
export interface SizeSpec {
  arch: Arch;
  vcpus: number;
  memoryMiB: number;
}

/**
 * An account limit that a stack's nodes count against, and how to get it raised. New
 * accounts start low; a stack beyond the default is refused unless the stack file declares
 * the raised limit under `quotas.<provider>.<key>`.
 */
export interface AccountQuota {
  /** Key under `quotas.<provider>`, e.g. `reservedIps`. */
  key: string;
  /** What is counted, in the plural: "reserved IPs". */
  counts: string;
  /** One limit for the whole account, or one per region. */
  scope: "account" | "region";
  /** What each node uses of it: one (an address, a VM) or its size's vCPUs. */
  perNode: "one" | "vcpus";
  /** What a new account gets. */
  newAccountDefault: number;
  /**
   * What an update needs of it beyond the steady count: a VM limit counts every replaced VM
   * twice (Pulumi creates the new one before deleting the old), an address limit one more for
   * each node rotated (its new address is made before the old one is released).
   */
  duringUpdate: "vm" | "address";
  /** Where in the console to ask for more, in words a volunteer can follow. */
  howToRaise: string;
}

/** Regions a new account cannot use until its owner turns them on. */
export interface OptInRegions {
  regions: readonly string[];
  howToEnable: string;
}

/** What lifeline knows about one cloud: where it can put nodes, what they cost. */
export interface ProviderCatalog {
  name: ProviderName;
  /** Prefix of node names: `do-fra1-0`. */
  namePrefix: string;
  title: string;
  regions: readonly string[];
  sizes: Readonly<Record<string, SizeSpec>>;
  defaultSize: string;
  /** Plain words on where the prices come from and what they leave out. */
  priceNote: string;
  /** Limits a new account starts with that a stack can run into. */
  quotas: readonly AccountQuota[];
  optIn?: OptInRegions;
}
