/** A list of ports as people write it: `1-65535`, `443`, `80,443,8000-9000`. */
export const fullRange = "1-65535";

export class PortSpecError extends Error {}

/** The ports a spec names, ascending and without repeats; throws a PortSpecError saying what is wrong. */
export function parsePortSpec(spec: string): number[] {
  const ports = new Set<number>();
  const parts = spec.split(",").map((p) => p.trim());
  for (const part of parts) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!match) throw new PortSpecError(`"${part}" is not a port or a range: write ports like 443, ranges like 8000-9000, separated by commas (default ${fullRange})`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < 1 || high > 65535) throw new PortSpecError(`"${part}": ports go from 1 to 65535`);
    if (low > high) throw new PortSpecError(`"${part}": the range is backwards; write ${high}-${low}`);
    for (let p = low; p <= high; p++) ports.add(p);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Ports as the shortest spec: consecutive runs become ranges (`80, 443, 8000-8002`). */
export function formatPorts(ports: readonly number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j > i + 1 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return runs.join(", ");
}
