/**
 * The program's outputs, known to be a fleet stack's: the program returns only `share` for a
 * share stack, so tests of fleets narrow the union here, and fail plainly if they got a share stack.
 */
export function fleetOutputs<T extends object>(outputs: T): Exclude<T, { share: unknown }> {
  if (!("nodes" in outputs)) throw new Error(`expected a fleet stack's outputs, got: ${Object.keys(outputs).join(", ")}`);
  return outputs as Exclude<T, { share: unknown }>;
}
