/** Builds dist/lifeline-scan.js (Node 18+) and dist/lifeline-scan.html (browsers) into `outDir`. */
export function buildScanner(outDir: string): Promise<{ cli: string; html: string }>;
