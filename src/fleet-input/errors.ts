/**
 * Problems with the stack outputs, each naming its file (or stack) and field. Collected across
 * every input so one run lists them all; nothing is written when there is one.
 */
export class FleetInputError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly what = "the stack outputs",
  ) {
    super(FleetInputError.text(problems, what, true));
    this.name = "FleetInputError";
  }

  /** The message for a command; "nothing was written" only from a command that writes files. */
  describe(writesFiles: boolean): string {
    return FleetInputError.text(this.problems, this.what, writesFiles);
  }

  private static text(problems: readonly string[], what: string, writesFiles: boolean): string {
    return (
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${what}${writesFiles ? ", nothing was written" : ""}:\n` +
      problems.map((p) => `  - ${p}`).join("\n")
    );
  }
}
