import type { AttemptOutcome } from "./attempt";

/** What a port is, after every try at it. */
export type PortVerdict = "open" | "intercepted" | "refused" | "silent";

/**
 * The strongest thing any try saw. One verified answer makes a port open: it cannot be forged
 * without the token, and a lost packet can hide an answer but never make one. Then anything that
 * completed a handshake without the right answer (a middlebox), then an active refusal (RST or an
 * ICMP error), else silence.
 */
export function verdictOf(outcomes: readonly AttemptOutcome[]): PortVerdict {
  if (outcomes.some((o) => o.kind === "verified")) return "open";
  if (outcomes.some((o) => o.kind === "wrong-answer" || o.kind === "no-answer")) return "intercepted";
  if (outcomes.some((o) => o.kind === "refused" || o.kind === "unreachable")) return "refused";
  return "silent";
}

/** Per port, every outcome so far (local errors are not kept: they say nothing about the port). */
export class PortRecords {
  private readonly outcomes = new Map<number, AttemptOutcome[]>();

  add(port: number, outcome: AttemptOutcome): void {
    if (outcome.kind === "local-error") return;
    const list = this.outcomes.get(port);
    if (list) list.push(outcome);
    else this.outcomes.set(port, [outcome]);
  }

  verdict(port: number): PortVerdict {
    return verdictOf(this.outcomes.get(port) ?? []);
  }

  /** Ports with this verdict, ascending. */
  withVerdict(ports: readonly number[], verdict: PortVerdict): number[] {
    return ports.filter((p) => this.verdict(p) === verdict).sort((a, b) => a - b);
  }

  /** Whether any try got an answer shaped like the probe's that did not verify (a wrong token?). */
  sawProbeShapedWrongAnswer(): boolean {
    for (const list of this.outcomes.values()) if (list.some((o) => o.kind === "wrong-answer" && o.probeShaped)) return true;
    return false;
  }

  /**
   * The ICMP error code when every answer so far was one (silent tries aside): the network says
   * the address cannot be reached. Undefined once anything connected or reset.
   */
  onlyUnreachable(): string | undefined {
    let code: string | undefined;
    for (const list of this.outcomes.values()) {
      for (const o of list) {
        if (o.kind === "silent") continue;
        if (o.kind !== "unreachable") return undefined;
        code = o.code;
      }
    }
    return code;
  }
}
