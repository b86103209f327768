import { randomInt } from "node:crypto";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { censorRuleset } from "../harness/nft-rules";
import { startNetnsScript } from "../harness/netns-script";
import { runOk } from "../harness/run-command";
import { browserBlockedPorts } from "../../../src/scan/browser/blocked-ports";

/** Where the interceptor listens in the censor namespace; never chosen as a scanned port's fate. */
export const interceptorPort = 65000;

export interface CensorChoice {
  seed: number;
  /** Ports the censor passes to the probe. */
  admitted: number[];
  /** Ports whose connections the censor's interceptor takes over. */
  intercepted: number[];
  /** Ports the censor passes, but delivers to the probe on another (admitted) port: a path that rewrites ports. */
  rewritten: Array<{ from: number; to: number }>;
  /** Share of packets dropped at random, each way, in per cent. */
  lossPercent: number;
}

/** A small seeded generator (mulberry32): a run's choice can be reproduced from its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A censor for one run, from a seed: 6-10 admitted ports anywhere in 1-65535 (one of them a port
 * browsers refuse, so the browser scanner's blind spot shows), 4-8 intercepted ports, 2 ports
 * rewritten to an admitted one on the way, and 1-5 % loss. The seed is random per run unless given (to reproduce a failure).
 */
export function chooseCensor(seed = randomInt(2 ** 31)): CensorChoice {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const taken = new Set<number>([interceptorPort]);
  const draw = (count: number) => {
    const ports: number[] = [];
    while (ports.length < count) {
      const port = 1 + pick(65535);
      if (taken.has(port)) continue;
      taken.add(port);
      ports.push(port);
    }
    return ports;
  };
  const blocked = [...browserBlockedPorts].filter((p) => !taken.has(p));
  const browserBlocked = blocked[pick(blocked.length)]!;
  taken.add(browserBlocked);
  const admitted = [browserBlocked, ...draw(5 + pick(5))].sort((a, b) => a - b);
  const intercepted = draw(4 + pick(5)).sort((a, b) => a - b);
  const rewritten = draw(2).map((from) => ({ from, to: admitted[pick(admitted.length)]! }));
  return { seed, admitted, intercepted, rewritten, lossPercent: 1 + pick(5) };
}

/** The interceptor's and the loss's rules, beside the harness's censor table. */
export function scanLabRuleset(network: BlackoutNetwork, choice: CensorChoice): string {
  const { clientInCensor, nodeInCensor } = network.plan.links;
  return `table inet scanlab {
  chain loss {
    type filter hook prerouting priority -300; policy accept;
    iifname { "${clientInCensor}", "${nodeInCensor}" } numgen random mod 100 < ${choice.lossPercent} drop
  }
  chain intercept {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "${clientInCensor}" ip daddr ${network.nodeIp} tcp dport { ${choice.intercepted.join(", ")} } redirect to :${interceptorPort}
    iifname "${clientInCensor}" ip daddr ${network.nodeIp} dnat ip to tcp dport map { ${choice.rewritten.map((r) => `${r.from} : ${network.nodeIp} . ${r.to}`).join(", ")} }
  }
}
`;
}

/** Replaces the censor's rules with this run's: its admitted ports, its interceptor, its loss. */
export async function applyCensor(network: BlackoutNetwork, choice: CensorChoice): Promise<void> {
  const rules = `flush ruleset\n${censorRuleset(network.plan, choice.admitted)}\n${scanLabRuleset(network, choice)}`;
  await runOk("ip", ["netns", "exec", network.plan.ns.censor, "nft", "-f", "-"], { input: rules });
}

/** Starts the interceptor in the censor namespace; kill its child when done. */
export async function startInterceptor(network: BlackoutNetwork) {
  return (await startNetnsScript(network.plan.ns.censor, join(__dirname, "interceptor-server.ts"), [String(interceptorPort)], "interceptor", 30_000)).child;
}

/** One line for a test's log: enough to reproduce the run. */
export function describeCensor(choice: CensorChoice): string {
  return (
    `seed ${choice.seed}, ${choice.lossPercent} % loss, admitted ${choice.admitted.join(",")}, intercepted ${choice.intercepted.join(",")}, ` +
    `rewritten ${choice.rewritten.map((r) => `${r.from}->${r.to}`).join(",")}`
  );
}
