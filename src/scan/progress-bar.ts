import type { ScanProgress } from "./scan-ports";

const width = 28;

/** One line: a bar, the share done, counts, and the time left at the current pace. */
export function progressLine(progress: ScanProgress, elapsedSeconds: number): string {
  const share = progress.total === 0 ? 1 : progress.done / progress.total;
  const filled = Math.round(share * width);
  const left = share > 0 && share < 1 ? ` ~${Math.ceil((elapsedSeconds / share) * (1 - share))} s left` : "";
  return (
    `${progress.phase.padEnd(7)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(share * 100)}% ` +
    `${progress.done}/${progress.total}  open ${progress.open}  intercepted ${progress.intercepted}  refused ${progress.refused}${left}`
  );
}

/**
 * Shows progress on a terminal as one line redrawn a few times a second; elsewhere (a log, a
 * pipe) as a plain line every tenth of a phase, so logs stay short.
 */
export function progressReporter(write: (text: string) => void, isTerminal: boolean): { update(p: ScanProgress): void; end(): void } {
  let phaseStarted = Date.now();
  let lastDraw = 0;
  let lastDecile = -1;
  let phase = "";
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      // Time left is estimated per phase: a re-test round runs at its own pace.
      if (p.phase !== phase || p.done <= 1) phaseStarted = now;
      const elapsed = (now - phaseStarted) / 1000;
      if (isTerminal) {
        phase = p.phase;
        if (now - lastDraw < 200 && p.done < p.total) return;
        lastDraw = now;
        drawn = true;
        write(`\r${progressLine(p, elapsed)}\x1b[K`);
        return;
      }
      const decile = Math.floor((p.done / Math.max(1, p.total)) * 10);
      if (p.phase === phase && decile === lastDecile) return;
      phase = p.phase;
      lastDecile = decile;
      write(`${progressLine(p, elapsed)}\n`);
    },
    end() {
      if (drawn) write("\n");
    },
  };
}
