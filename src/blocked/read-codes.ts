import { existsSync, readFileSync } from "node:fs";
import { CliError } from "../cli/cli-error";
import { decodeReport, ReportCodeError, type Report } from "../inside/report-code";

/** The codes in a file: one a line; blank lines and `#` lines skipped. */
export function codesInFile(path: string, flag: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** Every code decoded; the first bad one is refused, named by its place and first letters. */
export function decodeCodes(codes: readonly string[]): Report[] {
  return codes.map((code, i) => {
    try {
      return decodeReport(code);
    } catch (error) {
      if (error instanceof ReportCodeError) throw new CliError(`report code ${i + 1} (${code.slice(0, 10)}…): ${error.message}`);
      throw error;
    }
  });
}

/** Values that are each a code or a file of codes (an existing path is read as a file). */
export function codesOrFiles(values: readonly string[], flag: string): Report[] {
  return decodeCodes(values.flatMap((value) => (existsSync(value) ? codesInFile(value, flag) : [value])));
}
