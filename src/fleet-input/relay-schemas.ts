import { isIP } from "node:net";
import { z } from "zod";
import { parseSip002Link } from "../links/shadowsocks";
import { relayTransports } from "../relays/types";
import { hasControlCharacters } from "../sinks/terminal-text";
import type { RelayKindName } from "./types";

// Outputs files are untrusted input: every string that reaches a terminal, a command line or a
// page has a shape here, and a message that says which shape.

/** Node names, providers, regions and sizes: one word, as the program writes them (`do-fra1-0`). */
const word = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { message: 'must be one word of letters, digits, ".", "-" and "_" (at most 63), e.g. do-fra1-0' });

const hostName = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const isHost = (value: string) => isIP(value) !== 0 || hostName.test(value);
const host = z.string().refine(isHost, { message: "must be an IP address or a host name" });
const address = z.string().refine((value) => isIP(value) !== 0, { message: "must be an IPv4 or IPv6 address, e.g. 203.0.113.7" });

/** Free text people wrote (a volunteer's name, a warning): any script, but no control characters or bidi marks. */
const prose = (max: number) =>
  z
    .string()
    .min(1, { message: "must not be empty" })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((value) => !hasControlCharacters(value), { message: "must not contain control characters, escape sequences or bidi marks" });

/** Secrets and links: printable ASCII, no spaces, nothing a terminal or shell acts on. */
const token = z.string().regex(/^[\x21-\x7e]+$/, { message: "must be printable ASCII without spaces" });

/** Pulumi's stack names, optionally qualified as org/project/stack. */
export const stackNameShape = /^(?:[A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

// Strict about the fields share uses, tolerant of any others (z.object drops unknown keys):
// the program may add link fields without breaking share.
const transportFields = {
  transport: z.enum(relayTransports),
  warning: prose(500).optional(),
};

/**
 * A link: printable ASCII starting with its scheme, then what `parts` finds wrong with it (one
 * message a field, the first that applies).
 */
const link = (prefix: string, parts: (value: string) => string | undefined = () => undefined) =>
  z.string().superRefine((value, context) => {
    const problem = !/^[\x21-\x7e]+$/.test(value) ? "must be printable ASCII without spaces" : !value.startsWith(prefix) ? `must start with ${prefix}` : parts(value);
    if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
  });

/** A Telegram proxy link: its server an IP address or host name, its port a port. */
const telegramLink = (prefix: string) =>
  link(prefix, (value) => {
    const params = new URLSearchParams(value.slice(value.indexOf("?") + 1));
    const port = Number(params.get("port"));
    if (isHost(params.get("server") ?? "") && Number.isInteger(port) && port >= 1 && port <= 65535) return undefined;
    return `must name a server (an IP address or host name) and a port from 1 to 65535, as ${prefix}server=203.0.113.7&port=443&...`;
  });

const accessKey = link("ss://", (value) => {
  const parsed = parseSip002Link(value);
  if ("problem" in parsed) return parsed.problem;
  return isHost(parsed.server) ? undefined : "must name a server that is an IP address or a host name";
});

/** A PAC file is JavaScript over several lines: tabs and line breaks, no other controls. */
const pacText = z.string().refine((value) => !hasControlCharacters(value.replace(/[\n\r\t]/g, "")), { message: "must not contain control characters, escape sequences or bidi marks" });

/** The fields a browser's proxy settings take, shared by the http and https relays. */
const browserProxy = {
  ...transportFields,
  host,
  port: z.string().refine((value) => /^[1-9][0-9]{0,4}$/.test(value) && Number(value) <= 65535, { message: "must be a port number" }),
  user: token,
  password: token,
};

/** Checks each known relay kind's links; kinds not listed here are skipped with a warning. */
export const relaySchemas: Record<RelayKindName, z.ZodType> = {
  mtproto: z.object({ ...transportFields, telegram: telegramLink("tg://proxy?"), telegramWeb: telegramLink("https://t.me/proxy?") }),
  socks5: z.object({ ...transportFields, telegram: telegramLink("tg://socks?"), telegramWeb: telegramLink("https://t.me/socks?") }),
  http: z.object(browserProxy),
  https: z.object({ ...browserProxy, pac: pacText.and(z.string().includes("HTTPS ", { message: "must be a PAC file returning HTTPS host:port" })) }),
  shadowsocks: z.object({ ...transportFields, accessKey }),
};

export const nodeSchema = z.object({
  name: word,
  provider: word,
  region: word,
  size: word.optional(),
  address,
  links: z.record(z.string(), z.unknown()),
});

/** The fields of the `summary` output that `cost` and `expired` read; all optional (older programs). */
export const summarySchema = z.object({
  stack: z.string().regex(stackNameShape, { message: 'must be a Pulumi stack name: letters, digits, ".", "-" and "_" (optionally org/project/stack)' }).optional(),
  volunteer: prose(100).optional(),
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date written YYYY-MM-DD" }).optional(),
  trafficGbPerNodeDay: z.number().min(0).optional(),
});

export const sip008Schema = z.object({
  version: z.literal(1),
  servers: z.array(
    z.looseObject({
      server: host,
      server_port: z.number().int().min(1).max(65535),
      password: token,
      method: token,
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
