import { connect, isIPv4, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { guardedLookup, internalAddressCode, refusedLiteral } from "./address-guard";
import type { ProbeResult } from "./types";

/** For one link: the time for everything, and whether internal addresses may be reached. */
export interface ConnectionLimits {
  timeoutMs: number;
  allowPrivate: boolean;
}

/** A failure that ends a probe, in words for the organizer (never holding a secret). */
export class ProbeFailure extends Error {}

/** Why a connection could not be opened, in the organizer's words. */
function connectFailure(error: NodeJS.ErrnoException, port: number, timeoutMs: number): ProbeFailure {
  switch (error.code) {
    case internalAddressCode:
      return new ProbeFailure(`${error.message.replace(/ is an internal address$/, "")} is a loopback, private, link-local or shared (CGNAT) address: check connects there only with --allow-private`);
    case "ECONNREFUSED":
      return new ProbeFailure(`connection refused on port ${port}: nothing listens there (relay stopped?)`);
    case "ETIMEDOUT":
      return new ProbeFailure(`no TCP answer within ${timeoutMs / 1000} s: the port is dropped on the way (censor or firewall), or the node is down`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new ProbeFailure(`the node's address is unreachable (${error.code})`);
    default:
      // Node's TLS verification codes: ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...
      if (/CERT|SIGNATURE|ISSUER/.test(error.code ?? "")) {
        return new ProbeFailure(`the relay's TLS certificate is not valid for this address (${error.code}): none yet, expired, or from a CA this machine does not trust`);
      }
      return new ProbeFailure(`could not connect (${error.code ?? error.message})`);
  }
}

/**
 * One TCP connection with a deadline for everything on it: reads wait for exactly the bytes a
 * protocol step needs, and fail with a plain reason when the peer closes or the time is up.
 */
export class ProbeConnection {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private ended: string | undefined;

  private constructor(
    readonly socket: Socket,
    readonly connectMs: number,
    private readonly deadline: number,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    socket.on("end", () => this.finish("the relay closed the connection"));
    socket.on("close", () => this.finish("the relay closed the connection"));
    socket.on("error", (e: NodeJS.ErrnoException) => this.finish(e.code === "ECONNRESET" ? "the relay reset the connection" : `connection error (${e.code ?? e.message})`));
  }

  private finish(reason: string): void {
    this.ended ??= reason;
    this.waiting?.();
  }

  /**
   * Opens host:port within `timeoutMs`, over TLS when asked (the certificate checked against
   * this machine's trusted CAs and the host); the same deadline then covers every read.
   */
  static open(host: string, port: number, limits: ConnectionLimits, tls = false): Promise<ProbeConnection> {
    const { timeoutMs, allowPrivate } = limits;
    const started = performance.now();
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      // Unless asked, no connection to this machine's own networks: the host comes from an outputs file.
      const literal = allowPrivate ? undefined : refusedLiteral(host);
      if (literal) return reject(connectFailure(literal, port, timeoutMs));
      const lookup = allowPrivate ? {} : { lookup: guardedLookup };
      const socket = tls ? tlsConnect({ host, port, ...lookup }) : connect({ host, port, ...lookup, ...(isIPv4(host) ? { family: 4 } : {}) });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(connectFailure(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }), port, timeoutMs));
      }, timeoutMs);
      socket.once(tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new ProbeConnection(socket, performance.now() - started, deadline));
      });
      socket.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(connectFailure(error, port, timeoutMs));
      });
    });
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Waits until `enough` says the buffered bytes suffice; returns how many it takes. */
  private async waitFor(enough: (buffered: Buffer) => number | undefined, what: string): Promise<Buffer> {
    for (;;) {
      const n = enough(this.buffered);
      if (n !== undefined) {
        const taken = this.buffered.subarray(0, n);
        this.buffered = this.buffered.subarray(n);
        return taken;
      }
      if (this.ended) throw new ProbeFailure(`${this.ended} before ${what}`);
      const left = this.deadline - Date.now();
      if (left <= 0) throw new ProbeFailure(`no ${what} within the time allowed`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => (clearTimeout(timer), resolve());
      });
      this.waiting = undefined;
    }
  }

  /** Exactly `n` bytes. */
  read(n: number, what: string): Promise<Buffer> {
    return this.waitFor((b) => (b.length >= n ? n : undefined), what);
  }

  /** Up to and including `delimiter`, at most `max` bytes. */
  readUntil(delimiter: string, max: number, what: string): Promise<Buffer> {
    return this.waitFor((b) => {
      const at = b.indexOf(delimiter);
      if (at >= 0) return at + delimiter.length;
      if (b.length > max) throw new ProbeFailure(`${what} is longer than ${max} bytes`);
      return undefined;
    }, what);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs a probe on a fresh connection and turns its failures into results; always closes. */
export async function probeOver(
  host: string,
  port: number,
  limits: ConnectionLimits,
  steps: (connection: ProbeConnection) => Promise<string>,
  tls = false,
): Promise<ProbeResult> {
  let connection: ProbeConnection | undefined;
  try {
    connection = await ProbeConnection.open(host, port, limits, tls);
    const started = performance.now();
    const detail = await steps(connection);
    return { ok: true, port, connectMs: connection.connectMs, handshakeMs: performance.now() - started, detail };
  } catch (error) {
    if (!(error instanceof ProbeFailure)) throw error;
    return { ok: false, port, ...(connection ? { connectMs: connection.connectMs } : {}), detail: error.message };
  } finally {
    connection?.close();
  }
}
