// `npm run build`: the scanner as one file each for Node and for a browser, in dist/, and
// `lifeline inside` as one file for Node (dist/lifeline-inside.js).
//   dist/lifeline-scan.js    plain Node 18 or newer runs it with nothing installed
//   dist/lifeline-scan.html  the browser-only fallback: one page, nothing loaded from anywhere
// Both are meant to be handed to someone inside a blackout over whatever channel still works.
"use strict";
const { readFileSync, writeFileSync, mkdirSync } = require("node:fs");
const { join } = require("node:path");
const esbuild = require("esbuild");

const root = join(__dirname, "..");
const header = "lifeline scan: finds the TCP ports that reach a lifeline probe. Built from the lifeline repository (MIT); bundles commander (MIT), yaml (ISC) and noble-hashes (MIT).";
// The page travels on phones inside the blackout: it names no project, only its licences.
const pageHeader = "Port check. MIT licence; bundles noble-hashes (MIT).";

/** One TypeScript entry as one file plain Node 18 or newer runs, with nothing installed. */
function buildNodeTool(entry, outfile, header) {
  return esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    minify: true,
    legalComments: "none",
    banner: { js: `#!/usr/bin/env node\n// ${header}` },
    outfile,
    logLevel: "error",
  });
}

/** Builds both files into `outDir`; returns their paths. */
async function buildScanner(outDir) {
  mkdirSync(outDir, { recursive: true });
  const cli = join(outDir, "lifeline-scan.js");
  await buildNodeTool("src/scan/standalone.ts", cli, header);
  const page = await esbuild.build({
    entryPoints: [join(root, "src/scan/browser/page-script.ts")],
    bundle: true,
    platform: "browser",
    target: "es2018",
    format: "iife",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "error",
  });
  // A "</script" inside the code would end the inline script early.
  const script = page.outputFiles[0].text.replace(/<\/script/gi, "<\\/script");
  const template = readFileSync(join(root, "src/scan/browser/scanner.html"), "utf8");
  const html = join(outDir, "lifeline-scan.html");
  writeFileSync(html, template.replace("/*SCRIPT*/", () => script).replace("<!doctype html>", `<!doctype html>\n<!-- ${pageHeader} -->`));
  return { cli, html };
}

const insideHeader = "lifeline inside: checks relay links from the network it runs on and prints a report code. Built from the lifeline repository (MIT); bundles noble-hashes (MIT).";

/** `lifeline inside` as one file for plain Node: handed to a technical person inside. */
async function buildInside(outDir) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "lifeline-inside.js");
  await buildNodeTool("src/inside/standalone.ts", file, insideHeader);
  return file;
}

module.exports = { buildScanner, buildInside };

if (require.main === module) {
  Promise.all([buildScanner(join(root, "dist")), buildInside(join(root, "dist"))]).then(
    ([{ cli, html }, inside]) => {
      const { statSync } = require("node:fs");
      for (const file of [cli, html, inside]) console.log(`${file}: ${statSync(file).size} bytes`);
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
