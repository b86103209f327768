import type { Attempt, AttemptOutcome } from "./attempt";

export interface Pace {
  /** Tries started per second, at most. */
  rate: number;
  /** Tries in flight at once, at most. */
  parallel: number;
}

/** Raised when this machine keeps failing to open connections: lowering the pace is the fix. */
export class LocalLimitError extends Error {}

const tickMs = 10;
// Catching up after the process was busy may start at most this much of a second's worth at once.
const maxBurstSeconds = 0.05;
const maxLocalErrors = 200;
const minParallel = 16;

/**
 * Tries every port once, starting at most `rate` per second with at most `parallel` in flight.
 * A try that fails for a reason of this machine's (no free sockets) is put back and the
 * number in flight lowered to what fit, so a too-high pace slows the scan instead of corrupting it.
 * An exception from `onOutcome` stops the pool and rejects.
 */
export function runPaced(ports: readonly number[], attempt: Attempt, pace: Pace, onOutcome: (port: number, outcome: AttemptOutcome) => void): Promise<void> {
  const queue = [...ports];
  let parallel = pace.parallel;
  let inFlight = 0;
  let localErrors = 0;
  let budget = 0;
  let last = Date.now();
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    const pump = () => {
      if (failed) return;
      const now = Date.now();
      budget = Math.min(budget + ((now - last) / 1000) * pace.rate, Math.max(1, pace.rate * maxBurstSeconds));
      last = now;
      while (queue.length > 0 && inFlight < parallel && budget >= 1) {
        budget -= 1;
        inFlight += 1;
        const port = queue.shift()!;
        attempt(port).then((outcome) => {
          inFlight -= 1;
          if (outcome.kind === "local-error") {
            // Failing with only a handful in flight: the machine itself is out of sockets.
            if (inFlight < minParallel) localErrors += 1;
            // What was in flight when it failed is what this machine holds: stay a little below
            // that. Not a share per error: errors come in bursts, and compounding them would
            // shrink the pool to nothing and the scan to hours.
            parallel = Math.max(minParallel, Math.min(parallel, Math.floor((inFlight + 1) * 0.9)));
            if (localErrors > maxLocalErrors) {
              failed = true;
              clearTimeout(timer);
              return reject(new LocalLimitError(`this machine could not open connections (${outcome.code}); lower --rate and --parallel`));
            }
            queue.push(port);
          } else {
            try {
              onOutcome(port, outcome);
            } catch (error) {
              failed = true;
              clearTimeout(timer);
              return reject(error);
            }
          }
          if (queue.length === 0 && inFlight === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      if (queue.length === 0 && inFlight === 0) return resolve();
      timer = setTimeout(pump, tickMs);
    };
    pump();
  });
}
