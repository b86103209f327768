import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the client's commented source lives in this repository: for readers and tests. */
export const acmeClientSourcePath = join(__dirname, "acme_client.py");

/**
 * The client as nodes get it: full-line comments, docstrings and blank lines dropped, indentation
 * narrowed. They are
 * for readers of this repository, and user data is scarce (AWS allows 16 KB, gzipped). The
 * source keeps every multi-line string a docstring, so this line-based cut is exact; the unit
 * tests run this shipped text, not the source, against pebble.
 */
export function shippedPython(source: string): string {
  const header = "# lifeline's ACME client for the https relay; the commented source is src/relays/https/acme_client.py.\n";
  const [shebang, ...rest] = source.replace(/^[ \t]*"""[\s\S]*?"""[ \t]*\n/gm, "").split("\n");
  // Each level of indentation is four spaces in the source and one on nodes: Python asks only
  // for consistency, and lines inside brackets may be indented anyhow.
  const code = rest.filter((line) => line.trim() !== "" && !/^\s*#/.test(line)).map((line) => line.replace(/^((?: {4})+)/, (levels) => " ".repeat(levels.length / 4)));
  return `${shebang}\n${header}${code.join("\n")}\n`;
}

/** The shipped client, rendered once: pinned by the lifeline version that renders it, nothing downloaded at boot. */
export const acmeClientScript = shippedPython(readFileSync(acmeClientSourcePath, "utf8"));
