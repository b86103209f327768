import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatTable } from "../cli/table";
import { isLang, languages, type Lang } from "../share/words/languages";
import { checkFromInside, reportOf, type InsideResult } from "./check-inside";
import { nodesInText } from "./found-links";
import { insideProgress } from "./inside-progress";
import { insideWords as w } from "./inside-words";
import { encodeReport, fittedNetwork, maxNodes } from "./report-code";

export interface InsideIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTerminal: boolean;
  readFile: (path: string) => string;
  now: () => number;
}

export const insideUsage = `usage: lifeline-inside FILE... [--lang ru|kk|en] [--network NAME] [--timeout SECONDS] [--target HOST] [--concurrency N] [--allow-private] [--no-progress]

Checks every server link in FILE (a share page, a subscription, an answer you were sent, or any
text; "-" reads standard input) with a real handshake from this network, prints a table and a
short report code. It sends nothing anywhere: the code is for you to forward, if you wish.`;

class InsideInputError extends Error {}

function whole(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InsideInputError(`${flag} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

// Defaults are applied here, not by parseArgs: its `default` field needs Node 18.11, and the
// tool must run on any Node 18 a person inside may have (parseArgs itself is from 18.3).
function parsed(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      lang: { type: "string" },
      network: { type: "string" },
      timeout: { type: "string" },
      target: { type: "string" },
      concurrency: { type: "string" },
      "allow-private": { type: "boolean" },
      "no-progress": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const lang = values.lang ?? "ru";
  const target = values.target ?? "example.com";
  if (!isLang(lang)) throw new InsideInputError(`--lang must be one of ${languages.join(", ")}, not "${lang}"`);
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(target)) throw new InsideInputError(`--target must be a host name, e.g. --target example.com, not "${target}"`);
  return {
    help: values.help === true,
    files: positionals,
    lang,
    network: values.network ?? "",
    timeoutMs: whole("--timeout", values.timeout ?? "10", 1, 120) * 1000,
    target,
    concurrency: whole("--concurrency", values.concurrency ?? "8", 1, 64),
    progress: values["no-progress"] !== true,
    // A page can be crafted: no link may make this tool probe the person's own network unless asked.
    allowPrivate: values["allow-private"] === true,
  };
}

function resultTable(results: readonly InsideResult[], lang: Lang): string {
  const rows = results.map((r) => [String(r.server), `${r.host}:${r.port}`, r.kind, w[r.status][lang], r.ms === undefined ? "-" : `${Math.round(r.ms)} ms`]);
  return formatTable([[w.server[lang], w.address[lang], w.relay[lang], w.status[lang], w.time[lang]], ...rows]);
}

/** `lifeline inside`: read links, check each from here, print the table and the report code. */
export async function runInside(argv: readonly string[], io: InsideIo): Promise<number> {
  let args: ReturnType<typeof parsed>;
  try {
    args = parsed(argv);
    if (args.help) {
      io.stdout(`${insideUsage}\n`);
      return 0;
    }
    if (args.files.length === 0) throw new InsideInputError("name the file with the links: a share page, a subscription or a message you saved");
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${insideUsage}\n`);
    return 2;
  }
  const texts: string[] = [];
  for (const file of args.files) {
    try {
      texts.push(io.readFile(file === "-" ? "/dev/stdin" : file));
    } catch (error) {
      io.stderr(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
  }
  const nodes = nodesInText(texts.join("\n"));
  if (nodes.length === 0) {
    io.stderr(`${w.noLinks[args.lang]}\n`);
    return 2;
  }
  if (nodes.length > maxNodes) io.stderr(`only the first ${maxNodes} of ${nodes.length} servers are checked\n`);
  const bar = insideProgress(io.stderr, io.stderrIsTerminal, w.checking[args.lang]);
  const results = await checkFromInside(nodes.slice(0, maxNodes), { target: args.target, timeoutMs: args.timeoutMs, concurrency: args.concurrency, allowPrivate: args.allowPrivate, now: io.now }, (done, total) => {
    if (args.progress) bar.update(done, total);
  });
  const working = new Set(results.filter((r) => r.status === "ok").map((r) => r.server)).size;
  const code = encodeReport(reportOf(results, fittedNetwork(args.network), Math.floor(io.now() / 1000)));
  const summary = w.summary[args.lang].replace("{ok}", String(working)).replace("{total}", String(Math.min(nodes.length, maxNodes)));
  io.stdout(`${resultTable(results, args.lang)}\n\n${summary}\n\n${w.codeIntro[args.lang]}\n${code}\n`);
  return 0;
}

export function insideProcessIo(): InsideIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTerminal: process.stderr.isTTY === true,
    readFile: (path) => readFileSync(path, "utf8"),
    now: () => Date.now(),
  };
}
