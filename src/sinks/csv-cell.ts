/**
 * One CSV cell. A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return
 * before one) as a formula: such text gets a leading ' so it stays text (OWASP's advice for
 * CSV injection). Numbers the program formats itself pass as they are. Then RFC 4180 quoting.
 */
export function csvCell(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
