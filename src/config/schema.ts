import { z } from "zod";
import { providerCatalogs, providerNames, type ProviderName } from "../catalog";
import { defaultAllowedPorts, defaultBlockedPorts, defaultMaxConnectionsPerClient } from "../abuse/defaults";
import { relayKinds, relayKindNames } from "../relays/registry";
import { quotasSchema } from "./quotas-schema";

/** The most nodes a stack may declare with `maxNodes`; also bounds what tests must prove. */
export const nodeCeiling = 500;
export const defaultMaxNodes = 50;
export const maxSshKeys = 10;

const port = z
  .number({ error: "must be a port number" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be between 1 and 65535" })
  .max(65535, { error: "must be between 1 and 65535" });

// One object schema per kind, built from the registry, so a new kind needs no edit here.
const relayEntries = relayKinds.map((relay) =>
  z.strictObject({
    kind: z.literal(relay.kind),
    port,
    // prefault, not default: an omitted options block still gets the kind's own defaults.
    options: relay.optionsSchema.prefault({} as never),
  }),
);

/** A relay entry after validation: options are already checked and defaulted by its kind. */
export type RelayConfig = { kind: string; port: number; options: Record<string, unknown> };

const relay = z.discriminatedUnion(
  "kind",
  relayEntries as unknown as [ReturnType<typeof z.strictObject>, ...ReturnType<typeof z.strictObject>[]],
  { error: () => `kind must be one of: ${relayKindNames.join(", ")}` },
) as unknown as z.ZodType<RelayConfig>;

const providerName = z.enum(providerNames, { error: `must be one of: ${providerNames.join(", ")}` });

function checkRegion(provider: ProviderName, region: string, path: PropertyKey[], ctx: z.RefinementCtx): void {
  const catalog = providerCatalogs[provider];
  if (!catalog.regions.includes(region)) {
    ctx.addIssue({ code: "custom", path, message: `"${region}" is not a ${catalog.title} region; use one of: ${catalog.regions.join(", ")}` });
  }
}

/** The size's spec, or an issue at `size` when the catalog does not know it. */
function checkSize(provider: ProviderName, sizeName: string | undefined, ctx: z.RefinementCtx) {
  const catalog = providerCatalogs[provider];
  const name = sizeName ?? catalog.defaultSize;
  const size = catalog.sizes[name];
  if (!size) {
    ctx.addIssue({
      code: "custom",
      path: ["size"],
      message: `"${name}" is not a ${catalog.title} size lifeline knows; use one of: ${Object.keys(catalog.sizes).join(", ")}`,
    });
  }
  return size;
}

const group = z
  .strictObject({
    provider: providerName,
    regions: z.array(z.string(), { error: "must be a list of region names" }).min(1, {
      error: "needs at least one region",
    }),
    nodesPerRegion: z
      .number({ error: "must be a whole number of nodes" })
      .int({ error: "must be a whole number of nodes" })
      .min(0, { error: "must be 0 or more" })
      .max(nodeCeiling, { error: `must be at most ${nodeCeiling}` }),
    size: z.string().optional(),
    arch: z.enum(["amd64", "arm64"]).optional(),
  })
  .superRefine((g, ctx) => {
    const catalog = providerCatalogs[g.provider as ProviderName];
    g.regions.forEach((region, i) => checkRegion(g.provider, region, ["regions", i], ctx));
    const seen = new Set<string>();
    g.regions.forEach((region, i) => {
      if (seen.has(region)) {
        ctx.addIssue({ code: "custom", path: ["regions", i], message: `"${region}" is listed twice` });
      }
      seen.add(region);
    });
    const size = checkSize(g.provider, g.size, ctx);
    if (size && g.arch && g.arch !== size.arch) {
      ctx.addIssue({
        code: "custom",
        path: ["arch"],
        message: `${g.size ?? catalog.defaultSize} is ${size.arch}, not ${g.arch}; drop arch (it follows the size) or pick a ${g.arch} size`,
      });
    }
  });

/**
 * A probe node: answers on every TCP port so that someone inside the blackout can find the open
 * ones with `lifeline scan` (README, "Finding the open ports").
 */
const probe = z
  .strictObject({
    provider: providerName,
    region: z.string({ error: "must be a region name" }),
    size: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    checkRegion(p.provider, p.region, ["region"], ctx);
    checkSize(p.provider, p.size, ctx);
  });

// The comment may hold any printable text, never a control character (a line break would
// start a second authorized_keys line).
const sshKey = z
  .string()
  .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( [^\x00-\x1f\x7f]*)?$/, {
    error: "must be one OpenSSH public key line such as: ssh-ed25519 AAAAC3Nza... you@laptop",
  })
  .max(1000, { error: "must be at most 1000 characters (an RSA 4096 key is about 725)" });

const ssh = z
  .strictObject({
    enabled: z.boolean().default(false),
    publicKeys: z.array(sshKey).max(maxSshKeys).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.enabled && s.publicKeys.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["publicKeys"],
        message: "SSH is enabled but no public key is given; password logins are never allowed",
      });
    }
  });

// Pulumi's YAML reader may turn an unquoted date into a timestamp; both mean the same day.
const portOrRangeError = 'must be a port (25) or an inclusive range in quotes, low-high ("6881-6999")';
const portOrRange = z.union(
  [
    port,
    z
      .string()
      .regex(/^\d{1,5}(-\d{1,5})?$/, { error: portOrRangeError })
      .refine(
        (text) => {
          const [low, high = low] = text.split("-").map(Number) as [number, number?];
          return low >= 1 && high <= 65535 && low <= high;
        },
        { error: portOrRangeError },
      ),
  ],
  { error: portOrRangeError },
);

const abuse = z.strictObject({
  /** TCP ports relay users may reach; everything else is refused. */
  allowedPorts: z.array(port).min(1, { error: "needs at least one port (80 and 443 serve the web)" }).default(defaultAllowedPorts),
  /** Always refused, even when listed in allowedPorts by mistake. */
  blockedPorts: z.array(portOrRange).default(defaultBlockedPorts),
  maxConnectionsPerClient: z
    .number()
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(1_000_000, { error: "must be at most 1000000" })
    .default(defaultMaxConnectionsPerClient),
  /** Optional cap on each node's outbound bandwidth, in megabits per second. */
  // Written into a `tc` command line: a whole number keeps it one plain token.
  bandwidthMbit: z
    .number({ error: "must be a whole number of megabits per second" })
    .int({ error: "must be a whole number of megabits per second" })
    .min(1, { error: "must be at least 1" })
    .max(100_000, { error: "must be at most 100000" })
    .optional(),
});

/**
 * Lands in every resource's tags: AWS allows letters, digits, spaces and `_ . : / = + - @`
 * in tag values across its services, and reserves the `aws:` prefix.
 */
const volunteerName = z
  .string({ error: "must be your name or handle, as text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(64, { error: "must be at most 64 characters" })
  .regex(/^[\p{L}\p{M}\p{N} _.:/=+@-]*$/u, {
    error: "may hold letters (any alphabet), digits, spaces and _ . : / = + - @ only, as cloud tags allow",
  })
  .refine((name) => !/^aws:/i.test(name), { error: 'must not start with "aws:", which AWS reserves' });

/**
 * Becomes part of a download URL in a root shell step: only a plain http(s) URL of a folder
 * (host, optional port, path), with no character a shell or a URL would read as syntax.
 */
const mirrorUrl = z
  .string({ error: "must be an http(s) URL" })
  .regex(/^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/, {
    error: "must be a plain http(s) URL of a folder: a host, an optional port and a path of letters, digits and . _ ~ % / - (no spaces, quotes, $, ;, ?, # or user:password@)",
  });

const isoDate = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString() : v),
  z.union([
    z.iso.date({ error: "must be a date written YYYY-MM-DD" }),
    z.iso.datetime().regex(/T00:00:00(\.0+)?Z$/).transform((d) => d.slice(0, 10)),
  ]),
);

/** The traffic each node is expected to send out a day, when the stack file does not say. */
export const defaultTrafficGbPerNodeDay = 10;

// A node's generation: raising it gives that node a new address and new secrets (rotation).
const generation = z
  .number({ error: "must be a whole number, the node's generation (1 for its first rotation)" })
  .int({ error: "must be a whole number, the node's generation (1 for its first rotation)" })
  .min(1, { error: "must be at least 1; a node that was never rotated needs no line" })
  .max(999, { error: "must be at most 999" });

export const fleetSchema = z.strictObject({
  volunteer: volunteerName,
  // Required unless the stack declares only a probe (checked in plan/guards.ts: a probe-only
  // stack is how the open ports are found in the first place).
  openPorts: z.array(port, { error: "must be a list of port numbers" }).default([]),
  relays: z.array(relay, { error: "must be a list of relays" }).default([]),
  groups: z.array(group, { error: "must be a list of node groups" }).default([]),
  probe: probe.optional(),
  budgetPerDay: z.number({ error: "must be a number of US dollars" }).positive({ error: "must be above 0" }),
  /** GB each node sends out a day: what the estimate and the budget check price traffic at. */
  trafficGbPerNodeDay: z
    .number({ error: "must be a number of GB a day" })
    .min(0, { error: "must be 0 or more" })
    .max(100_000, { error: "must be at most 100000" })
    .default(defaultTrafficGbPerNodeDay),
  expires: isoDate,
  ssh: ssh.default({ enabled: false, publicKeys: [] }),
  abuse: abuse.prefault({}),
  maxNodes: z
    .number()
    .int()
    .min(1, { error: "must be at least 1" })
    .max(nodeCeiling, { error: `must be at most ${nodeCeiling}: lifeline is not tested beyond that` })
    .default(defaultMaxNodes),
  image: z.enum(["debian-12"]).default("debian-12"),
  artifactMirror: mirrorUrl.optional(),
  quotas: quotasSchema,
  /**
   * Replace a node's VM by deleting it first (Pulumi's deleteBeforeReplace): updates then fit an
   * account at its Droplet or vCPU limit, for a few minutes' outage of each replaced node.
   */
  replaceInPlace: z.boolean({ error: "must be true or false" }).default(false),
  /** Node name -> generation: a blocked node gets a new address and new secrets. */
  rotations: z.record(z.string(), generation).default({}),
});

export type FleetConfig = z.infer<typeof fleetSchema>;
