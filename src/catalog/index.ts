import { awsCatalog } from "./aws";
import { digitalOceanCatalog } from "./digitalocean";
import type { ProviderCatalog, ProviderName } from "./types";

export type { AccountQuota, Arch, OptInRegions, ProviderCatalog, ProviderName, SizeSpec } from "./types";

export const providerCatalogs: Readonly<Record<ProviderName, ProviderCatalog>> = {
  digitalocean: digitalOceanCatalog,
  aws: awsCatalog,
};

export const providerNames = Object.keys(providerCatalogs) as ProviderName[];
