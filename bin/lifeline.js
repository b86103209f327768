#!/usr/bin/env node
// The package's command: `lifeline plan ...`, `lifeline share ...`, `lifeline check ...`, `lifeline scan ...`. Runs the TypeScript sources
// through tsx's require hook, as `npm run plan` and `npm run share` do.
"use strict";
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
