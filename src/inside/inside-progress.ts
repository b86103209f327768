const width = 24;

/** One line: a bar and the links done. */
export function insideProgressLine(label: string, done: number, total: number): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
}

/** Redrawn in place on a terminal; elsewhere a line every tenth, so logs stay short. */
export function insideProgress(write: (text: string) => void, isTerminal: boolean, label: string) {
  let lastDecile = -1;
  return {
    update(done: number, total: number) {
      if (isTerminal) return write(`\r${insideProgressLine(label, done, total)}\x1b[K${done === total ? "\n" : ""}`);
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      write(`${insideProgressLine(label, done, total)}\n`);
    },
  };
}
