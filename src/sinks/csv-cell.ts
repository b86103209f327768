/**
 * One CSV cell. A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return
 * before one) as a formula: such text, and text starting with NUL (OWASP ASVS 1.2.10), gets a
 * leading ' so it stays text. Numbers the program formats itself pass as they are. Then RFC 4180 quoting.
 */
export function csvCell(text: string): string {
  const inert = /^[=+\-@\t\r\0]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
