/**
 * Problems with the stack outputs, each naming its file (or stack) and field. Collected across
 * every input so one run lists them all; nothing is written when there is one.
 */
export class FleetInputError extends Error {
  constructor(
    readonly problems: readonly string[],
    what = "the stack outputs",
  ) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${what}, nothing was written:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "FleetInputError";
  }
}
