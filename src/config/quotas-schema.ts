import { z } from "zod";
import { providerCatalogs, providerNames, type ProviderCatalog, type ProviderName } from "../catalog";

/** A limit declared in the stack file: one for every region, or one per region. */
export type DeclaredLimit = number | Readonly<Record<string, number>>;

/** What one provider's account has beyond a new account's defaults. */
export interface DeclaredProviderQuotas {
  /** Raised limits by quota key (see each catalog's `quotas`). */
  limits: Readonly<Record<string, DeclaredLimit>>;
  /** Opt-in regions the account owner has enabled. */
  optInRegions: readonly string[];
}

export type DeclaredQuotas = Partial<Record<ProviderName, DeclaredProviderQuotas>>;

const limit = z
  .number({ error: "must be a whole number: the limit your account has now" })
  .int({ error: "must be a whole number: the limit your account has now" })
  .min(1, { error: "must be at least 1" })
  .max(100_000, { error: "must be at most 100000" });

function regionalLimit(catalog: ProviderCatalog) {
  return z
    .union([limit, z.record(z.string(), limit)], {
      error: "must be a number for every region, or one per region such as { eu-central-1: 10 }",
    })
    .superRefine((value, ctx) => {
      if (typeof value === "number") return;
      for (const region of Object.keys(value)) {
        if (!catalog.regions.includes(region)) {
          ctx.addIssue({ code: "custom", path: [region], message: `"${region}" is not among ${catalog.title}'s regions: ${catalog.regions.join(", ")}` });
        }
      }
    });
}

function providerQuotas(catalog: ProviderCatalog) {
  const shape: Record<string, z.ZodType> = {};
  for (const quota of catalog.quotas) shape[quota.key] = (quota.scope === "account" ? limit : regionalLimit(catalog)).optional();
  if (catalog.optIn) {
    const regions = catalog.optIn.regions;
    shape["optInRegions"] = z
      .array(z.enum(regions as [string, ...string[]], { error: `only opt-in regions need listing: ${regions.join(", ")}` }))
      .default([]);
  }
  return z.strictObject(shape).transform(({ optInRegions, ...limits }): DeclaredProviderQuotas => ({
    limits: limits as Record<string, DeclaredLimit>,
    optInRegions: (optInRegions as string[] | undefined) ?? [],
  }));
}

/**
 * `quotas`: limits the volunteer's accounts have beyond a new account's defaults (after asking
 * the cloud to raise them), and opt-in regions they have enabled. Nothing here changes what is
 * created; it only tells lifeline not to refuse a stack that needs more than a new account has.
 */
export const quotasSchema = z
  .strictObject(Object.fromEntries(providerNames.map((p) => [p, providerQuotas(providerCatalogs[p]).optional()])))
  .default({}) as unknown as z.ZodType<DeclaredQuotas>;
