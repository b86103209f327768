import { awsCatalog } from "./aws";
import { digitalOceanCatalog } from "./digitalocean";
import type { ProviderCatalog, ProviderName } from "./types";

export type { AccountQuota, Arch, OptInRegions, ProviderCatalog, ProviderName, SizeSpec } from "./types";

export const providerCatalogs: Readonly<Record<ProviderName, ProviderCatalog>> = {
  digitalocean: digitalOceanCatalog,
  aws: awsCatalog,
};

export const providerNames = Object.keys(providerCatalogs) as ProviderName[];

/** What one node of this size costs per hour, its fixed public address included. */
export function nodeUsdPerHour(provider: ProviderName, size: string): number {
  const catalog = providerCatalogs[provider];
  const spec = catalog.sizes[size];
  if (!spec) throw new Error(`unknown ${provider} size ${size}`);
  return spec.usdPerHour + catalog.addressUsdPerHour;
}
