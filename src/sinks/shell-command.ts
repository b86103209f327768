// Words a POSIX shell reads as themselves: no quoting needed, none added.
const plainWord = /^[A-Za-z0-9_.,:/=@%+-]+$/;

/** One argument, single-quoted unless it is a plain word; a ' inside becomes '\''. */
export function shellWord(arg: string): string {
  if (plainWord.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command for the organizer to paste: each argument quoted, so text from a file stays one argument. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellWord).join(" ");
}
