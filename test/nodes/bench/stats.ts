/** The median of samples, and the spread (lowest and highest) it hides. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function figureOf(samples: readonly number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, samples: [...samples] };
}

/** `1234 (1100-1300)`: the median and its spread, with `digits` decimals. */
export function formatFigure(f: Figure, digits = 0): string {
  return `${f.median.toFixed(digits)} (${f.min.toFixed(digits)}-${f.max.toFixed(digits)})`;
}

/** The ratio of two medians, e.g. `0.42x`. */
export function ratio(of: Figure, to: Figure): string {
  return `${(of.median / to.median).toFixed(2)}x`;
}
