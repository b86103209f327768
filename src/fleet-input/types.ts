import type { RelayTransport } from "../relays/types";

/**
 * How a relay's traffic looks to the censor: its kind's class (src/relays/types.ts), whatever
 * the outputs say, as older programs called Shadowsocks `encrypted`.
 */
export type Transport = RelayTransport;

interface RelayBase {
  transport: Transport;
  /** English reference text of the warning, as the outputs carry it (pages use their own words). */
  warning?: string;
}

/** The links of one relay, with only the fields share uses; unknown extra fields are dropped. */
export type FleetRelay =
  | (RelayBase & { kind: "mtproto"; telegram: string; telegramWeb: string })
  | (RelayBase & { kind: "socks5"; telegram: string; telegramWeb: string })
  | (RelayBase & { kind: "http"; host: string; port: string; user: string; password: string })
  | (RelayBase & { kind: "https"; host: string; port: string; user: string; password: string; pac: string })
  | (RelayBase & { kind: "shadowsocks"; accessKey: string })
  | (RelayBase & { kind: "vless"; vless: string });

export type RelayKindName = FleetRelay["kind"];

/** One node of the merged fleet. */
export interface FleetNode {
  /** Where it came from: the outputs file as given, or `stack <name>`. Organizers only. */
  source: string;
  /** The program's node name (`do-fra1-0`): organizers only, never on people-facing files. */
  name: string;
  provider: string;
  region: string;
  /** The node's fixed public address: unique across the fleet, so it is the node's identity here. */
  address: string;
  /** Relays in the order the outputs list them. */
  relays: FleetRelay[];
}

/** One server entry of a SIP008 document, extra fields kept as they came. */
export interface Sip008Server {
  server: string;
  server_port: number;
  password: string;
  method: string;
  [field: string]: unknown;
}

/** A node as `cost` and `expired` need it: where it runs and its size, relays or not. */
export interface InventoryNode {
  name: string;
  provider: string;
  region: string;
  /** Absent in outputs of programs older than the field (then `cost` says so). */
  size?: string;
  address?: string;
}

/** What is known of one stack as a whole: whose it is, until when, and every node. */
export interface StackFacts {
  /** The outputs file, `stack <name>`, or the stack file. */
  source: string;
  /** The Pulumi stack name, when known (summary.stack, or the stack file's name). */
  stack?: string;
  volunteer?: string;
  /** YYYY-MM-DD: the last day the nodes serve. */
  expires?: string;
  trafficGbPerNodeDay?: number;
  nodes: InventoryNode[];
}

/** The outputs of one stack, read and checked. */
export interface StackOutputs {
  source: string;
  nodes: FleetNode[];
  shadowsocksServers: Sip008Server[];
  facts: StackFacts;
}

/** Every stack's nodes in one list, with what was skipped said in `warnings`. */
export interface Fleet {
  sources: string[];
  /** Per stack, in input order: every node (relays or not), whose and until when. */
  stacks: StackFacts[];
  nodes: FleetNode[];
  shadowsocksServers: Sip008Server[];
  warnings: string[];
}
