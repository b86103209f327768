import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { answerBody, probeRequest } from "../probe/protocol";
import { expectedAnswer, isProbeShaped, newNonce } from "./probe-answer";

/** What one try at one port saw. */
export type AttemptOutcome =
  /** The probe answered with the right MAC for this nonce and port. */
  | { kind: "verified" }
  /** Connected, and something answered, but not the probe's answer for this port. */
  | { kind: "wrong-answer"; probeShaped: boolean }
  /** Connected, and nothing answered before the deadline, or the connection was closed. */
  | { kind: "no-answer" }
  /** A reset (RST): actively refused. */
  | { kind: "refused" }
  /** An ICMP error: a router says the address or port cannot be reached. */
  | { kind: "unreachable"; code: string }
  /** No handshake before the deadline. */
  | { kind: "silent" }
  /** This machine could not open a connection (out of sockets or ports): says nothing about the port. */
  | { kind: "local-error"; code: string };

export type Attempt = (port: number) => Promise<AttemptOutcome>;

export interface AttemptOptions {
  host: string;
  token: string;
  /** How long a connection may take to complete, and then how long the answer may take. */
  timeoutMs: number;
  /**
   * When to open a second connection to the same port if the first has not completed: a lost
   * SYN or SYN-ACK costs the kernel a full second before it retries, a second socket does not wait.
   */
  hedgeMs: number;
}

const unreachableCodes = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENONET"]);
// Everything the far end can cause; any other error code is this machine's own trouble.
const remoteCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", ...unreachableCodes]);

/**
 * Runs `decide` after the I/O that is already waiting: when the process was busy, a timer and a
 * completed connection may be due in the same turn, and the connection must win.
 */
function afterPendingIo(decide: () => void): void {
  setImmediate(decide);
}

/**
 * One try at a port: connect (with a second connection after `hedgeMs`), send a fresh nonce and
 * the port, and check the answer against the token.
 */
export function probeAttempt(options: AttemptOptions): Attempt {
  return (port) =>
    new Promise<AttemptOutcome>((resolve) => {
      const nonce = newNonce((n) => randomBytes(n));
      const sockets: Socket[] = [];
      const timers: NodeJS.Timeout[] = [];
      let winner: Socket | undefined;
      let received = "";
      let done = false;

      const finish = (outcome: AttemptOutcome) => {
        if (done) return;
        done = true;
        timers.forEach(clearTimeout);
        for (const s of sockets) s.destroy();
        resolve(outcome);
      };
      const judgeAnswer = () => {
        const body = answerBody(received);
        if (body !== undefined && body === expectedAnswer(options.token, nonce, port)) return finish({ kind: "verified" });
        if (received.length === 0) return finish({ kind: "no-answer" });
        finish({ kind: "wrong-answer", probeShaped: isProbeShaped(body) });
      };
      const open = () => {
        if (done || winner) return;
        const socket = connect({ host: options.host, port });
        sockets.push(socket);
        socket.setNoDelay(true);
        socket.once("connect", () => {
          if (winner) return void socket.destroy();
          winner = socket;
          for (const other of sockets) if (other !== socket) other.destroy();
          socket.setEncoding("latin1");
          socket.write(probeRequest(options.host, nonce, port));
          timers.push(setTimeout(() => afterPendingIo(judgeAnswer), options.timeoutMs));
        });
        socket.on("data", (chunk: string) => {
          received += chunk;
          // Enough to judge once the headers and a whole MAC are in, or as soon as it cannot be ours.
          const body = answerBody(received);
          if ((body !== undefined && body.length >= 64) || received.length > 4096) judgeAnswer();
        });
        socket.once("end", judgeAnswer);
        socket.once("error", (error: NodeJS.ErrnoException) => {
          if (socket === winner) return judgeAnswer();
          const code = error.code ?? "UNKNOWN";
          if (code === "ECONNREFUSED") return finish({ kind: "refused" });
          if (unreachableCodes.has(code)) return finish({ kind: "unreachable", code });
          if (!remoteCodes.has(code)) return finish({ kind: "local-error", code });
        });
      };
      open();
      timers.push(setTimeout(open, options.hedgeMs));
      timers.push(setTimeout(() => afterPendingIo(() => (winner ? undefined : finish({ kind: "silent" }))), options.timeoutMs));
    });
}
