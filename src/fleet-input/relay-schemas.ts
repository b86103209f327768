import { z } from "zod";
import type { RelayKindName } from "./types";

// Strict about the fields share uses, tolerant of any others (z.object drops unknown keys):
// the program may add link fields without breaking share.
const transportFields = {
  transport: z.enum(["encrypted", "plaintext"]),
  warning: z.string().min(1).optional(),
};

const link = (prefix: string) => z.string().startsWith(prefix, { message: `must start with ${prefix}` });
const text = z.string().min(1, { message: "must not be empty" });

/** The fields a browser's proxy settings take, shared by the http and https relays. */
const browserProxy = {
  ...transportFields,
  host: text,
  port: z.string().regex(/^[1-9][0-9]{0,4}$/, { message: "must be a port number" }),
  user: text,
  password: text,
};

/** Checks each known relay kind's links; kinds not listed here are skipped with a warning. */
export const relaySchemas: Record<RelayKindName, z.ZodType> = {
  mtproto: z.object({ ...transportFields, telegram: link("tg://proxy?"), telegramWeb: link("https://t.me/proxy?") }),
  socks5: z.object({ ...transportFields, telegram: link("tg://socks?"), telegramWeb: link("https://t.me/socks?") }),
  http: z.object(browserProxy),
  https: z.object({ ...browserProxy, pac: z.string().includes("HTTPS ", { message: "must be a PAC file returning HTTPS host:port" }) }),
  shadowsocks: z.object({ ...transportFields, accessKey: link("ss://") }),
  vless: z.object({ ...transportFields, vless: link("vless://") }),
};

export const nodeSchema = z.object({
  name: text,
  provider: text,
  region: text,
  size: text.optional(),
  address: text,
  links: z.record(z.string(), z.unknown()),
});

/** The fields of the `summary` output that `cost` and `expired` read; all optional (older programs). */
export const summarySchema = z.object({
  stack: text.optional(),
  volunteer: text.optional(),
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date written YYYY-MM-DD" }).optional(),
  trafficGbPerNodeDay: z.number().min(0).optional(),
});

export const sip008Schema = z.object({
  version: z.literal(1),
  servers: z.array(
    z.looseObject({
      server: text,
      server_port: z.number().int().min(1).max(65535),
      password: text,
      method: text,
    }),
  ),
});

/** `nodes[2].links.mtproto` from zod's path array. */
export function fieldPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc === "" ? String(part) : `${acc}.${String(part)}`),
    base,
  );
}
