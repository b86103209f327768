/**
 * Quotes one word for a POSIX shell: single quotes, with any single quote spelled '\''. Every
 * value that comes from a stack config and reaches a shell line goes through this, on top of
 * the config's own validation (a mirror URL pasted unquoted once meant root on every node).
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}
