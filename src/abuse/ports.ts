/** A port or an inclusive range, as written in config: `25` or `"6881-6999"`. */
export type PortSpec = number | string;

export function portRange(spec: PortSpec): [number, number] {
  if (typeof spec === "number") return [spec, spec];
  const [low, high] = spec.split("-").map(Number) as [number, number];
  return [low, high ?? low];
}

/** nftables syntax for a port or range. */
export function nftPort(spec: PortSpec): string {
  const [low, high] = portRange(spec);
  return low === high ? String(low) : `${low}-${high}`;
}

export function portInSpecs(port: number, specs: readonly PortSpec[]): boolean {
  return specs.some((spec) => {
    const [low, high] = portRange(spec);
    return port >= low && port <= high;
  });
}
