import { createHash } from "node:crypto";
import { kindNumber, kindOfNumber, type ReportedKind } from "./relay-kinds";

/**
 * The report code: what `lifeline inside` found, packed to paste into a Telegram message, and
 * read back by `lifeline blocked`. Layout (version 1), big-endian:
 *
 *   version (1) | salt (3) | checked at, Unix seconds (4) | network name: length (1), UTF-8
 *   | node count (1) | per node: tag (2), relay count (1), per relay: kind << 4 | status (1),
 *   time in 20 ms steps (1, 255 = none) | checksum: SHA-256 of all before, first 4 bytes
 *
 * then base64url. A node is named by its tag, the first 2 bytes of SHA-256(salt | address): the
 * organizer, who knows every address, finds the node; whoever else reads the code learns no
 * address, only that one of thousands of cloud addresses fits. The salt is new for each code, so
 * two codes' tags cannot be linked. No link, secret or address of the person goes in.
 */
export const reportCodeVersion = 1;
const saltBytes = 3;
const tagBytes = 2;
const checksumBytes = 4;
const msStep = 20;
export const maxNetworkBytes = 40;
export const maxNodes = 255;

export const relayStatuses = ["ok", "no-connection", "handshake-failed"] as const;
export type RelayStatus = (typeof relayStatuses)[number];

export interface ReportedRelay {
  kind: ReportedKind;
  status: RelayStatus;
  /** Connect plus handshake time, rounded to 20 ms; undefined when it did not connect. */
  ms?: number;
}

export interface ReportedNode {
  /** 2 bytes, hex: SHA-256(salt | address), cut (see above). */
  tag: string;
  relays: ReportedRelay[];
}

export interface Report {
  version: number;
  /** 3 bytes, hex. */
  salt: string;
  /** When the checks finished, Unix seconds. */
  checkedAt: number;
  /** The network the person typed (`--network "Beeline"`), or "". */
  network: string;
  nodes: ReportedNode[];
}

export class ReportCodeError extends Error {}

/** The tag of a node address under a code's salt: the organizer computes it for every node. */
export function nodeTag(salt: string, address: string): string {
  return createHash("sha256").update(Buffer.from(salt, "hex")).update(address, "utf8").digest().subarray(0, tagBytes).toString("hex");
}

const checksum = (bytes: Buffer) => createHash("sha256").update(bytes).digest().subarray(0, checksumBytes);

/** A network name cut to what fits, whole characters only. */
export function fittedNetwork(name: string): string {
  let out = "";
  for (const char of name.trim()) {
    if (Buffer.byteLength(out + char, "utf8") > maxNetworkBytes) break;
    out += char;
  }
  return out;
}

export function encodeReport(report: Omit<Report, "version">): string {
  if (report.nodes.length > maxNodes) throw new ReportCodeError(`a code holds at most ${maxNodes} nodes, not ${report.nodes.length}`);
  const network = Buffer.from(fittedNetwork(report.network), "utf8");
  const parts: Buffer[] = [Buffer.from([reportCodeVersion]), Buffer.from(report.salt, "hex")];
  const time = Buffer.alloc(4);
  time.writeUInt32BE(report.checkedAt >>> 0);
  parts.push(time, Buffer.from([network.length]), network, Buffer.from([report.nodes.length]));
  for (const node of report.nodes) {
    if (node.relays.length > 15) throw new ReportCodeError(`a node holds at most 15 relays in a code, not ${node.relays.length}`);
    parts.push(Buffer.from(node.tag, "hex"), Buffer.from([node.relays.length]));
    for (const relay of node.relays) {
      const steps = relay.ms === undefined ? 255 : Math.min(254, Math.round(relay.ms / msStep));
      parts.push(Buffer.from([(kindNumber(relay.kind) << 4) | relayStatuses.indexOf(relay.status), steps]));
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, checksum(body)]).toString("base64url");
}

/** Reads a code back; a changed, cut or foreign code is refused with what to do about it. */
export function decodeReport(code: string): Report {
  const text = code.trim();
  const whole = "ask the sender to copy the whole code again";
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new ReportCodeError(`not a report code: it may hold only letters, digits, "-" and "_" (${whole})`);
  const bytes = Buffer.from(text, "base64url");
  if (bytes.length < 1 + saltBytes + 4 + 1 + 1 + checksumBytes) throw new ReportCodeError(`the code is too short: it was cut (${whole})`);
  const body = bytes.subarray(0, bytes.length - checksumBytes);
  if (!checksum(body).equals(bytes.subarray(bytes.length - checksumBytes))) {
    throw new ReportCodeError(`the code's checksum does not match: it was changed or cut in copying (${whole})`);
  }
  if (body[0] !== reportCodeVersion) throw new ReportCodeError(`the code has format version ${body[0]}, this tool reads version ${reportCodeVersion}: update lifeline`);
  let at = 1;
  const take = (n: number) => {
    if (at + n > body.length) throw new ReportCodeError(`the code ends too early for what it announces (${whole})`);
    const part = body.subarray(at, at + n);
    at += n;
    return part;
  };
  const salt = take(saltBytes).toString("hex");
  const checkedAt = take(4).readUInt32BE(0);
  const network = take(take(1)[0]!).toString("utf8");
  const count = take(1)[0]!;
  const nodes: ReportedNode[] = [];
  for (let i = 0; i < count; i++) {
    const tag = take(tagBytes).toString("hex");
    const relayCount = take(1)[0]!;
    const relays: ReportedRelay[] = [];
    for (let j = 0; j < relayCount; j++) {
      const [packed, steps] = take(2);
      const kind = kindOfNumber(packed! >> 4);
      const status = relayStatuses[packed! & 0x0f];
      if (!kind || !status) throw new ReportCodeError(`the code names a relay kind or status this tool does not know: update lifeline`);
      relays.push({ kind, status, ...(steps === 255 ? {} : { ms: steps! * msStep }) });
    }
    nodes.push({ tag, relays });
  }
  if (at !== body.length) throw new ReportCodeError(`the code holds more than it announces (${whole})`);
  return { version: reportCodeVersion, salt, checkedAt, network, nodes };
}
