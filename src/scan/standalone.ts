// The one-file scanner (`npm run build` bundles this into dist/lifeline-scan.js): plain Node 18
// or newer runs it with nothing installed, so it can be handed to someone inside a blackout.
import { processIo, runScanProgram } from "../cli/scan-command";

void runScanProgram(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
