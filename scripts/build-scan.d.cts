/** Builds dist/lifeline-scan.js (Node 18+) and dist/lifeline-scan.html (browsers) into `outDir`. */
export function buildScanner(outDir: string): Promise<{ cli: string; html: string }>;
/** Builds dist/lifeline-inside.js into `outDir`; returns its path. */
export function buildInside(outDir: string): Promise<string>;
