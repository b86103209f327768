/**
 * `npm run plan --stack x` gives `--stack` to npm, not to the script: npm sets
 * `npm_config_stack=true` and passes only `x` on. The flags npm kept, for a command run by its
 * own npm script (`npm_lifecycle_event` is the command), so that the user learns to write `--`.
 */
export function npmSwallowedFlags(command: string, argv: readonly string[], env: NodeJS.ProcessEnv, longFlags: readonly string[]): string[] {
  if (env["npm_lifecycle_event"] !== command) return [];
  return longFlags.filter((flag) => {
    const name = flag.replace(/^--/, "");
    return env[`npm_config_${name.replace(/-/g, "_")}`] !== undefined && !argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  });
}

/** What to run instead: the kept flags go after `--`, before what npm passed on. */
export function npmSwallowedHint(command: string, flags: readonly string[], passedOn: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const redo = [`npm run ${command} --`];
  // npm 11 keeps an unknown flag as "true" and passes its value on; when it kept the value, it is in the variable.
  const kept = (flag: string) => env[`npm_config_${flag.replace(/^--/, "").replace(/-/g, "_")}`];
  if (flags.length === 1 && passedOn.length === 1 && kept(flags[0]!) === "true") redo.push(flags[0]!, passedOn[0]!);
  else redo.push(...flags.map((f) => (kept(f) !== undefined && kept(f) !== "true" ? `${f} ${kept(f)}` : `${f} ...`)), ...passedOn);
  return (
    `npm kept ${flags.join(", ")} for itself, so lifeline did not get ${flags.length === 1 ? "it" : "them"}: ` +
    `put -- between the script and its flags: ${redo.join(" ")}`
  );
}
