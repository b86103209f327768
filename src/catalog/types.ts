/** CPU architecture of a node; it decides which relay binaries and which image a node gets. */
export type Arch = "amd64" | "arm64";

export type ProviderName = "digitalocean" | "aws";

/** One machine size a provider sells, with what an organizer needs to choose it. */
export interface SizeSpec {
  arch: Arch;
  vcpus: number;
  memoryMiB: number;
  /** On-demand price in USD per hour (see `priceNote` of the provider). */
  usdPerHour: number;
  /** Outbound transfer included per month in GiB, where the provider bundles it. */
  includedTransferGiB?: number;
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
  /** Price of the node's fixed public address per hour (AWS bills every public IPv4). */
  addressUsdPerHour: number;
  /** Plain words on where the prices come from and what they leave out. */
  priceNote: string;
}
