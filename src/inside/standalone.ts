// The one-file inside check (`npm run build` bundles this into dist/lifeline-inside.js): plain
// Node 18 or newer runs it with nothing installed, for someone inside a blackout.
import { insideProcessIo, runInside } from "./inside-program";

void runInside(process.argv.slice(2), insideProcessIo()).then((code) => {
  process.exitCode = code;
});
