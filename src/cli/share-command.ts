import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fleetFromOutputFiles, fleetFromStacks, type RunPulumi } from "../fleet-input/read-inputs";
import type { Fleet } from "../fleet-input/types";
import { batchRequestProblem } from "../share/batches";
import { MessageTooLongError, requestAnswerText } from "../share/message-text";
import { nodesForRequester, periodOf, requesterId, reservedNodes } from "../share/request-answer";
import { PeopleFacingLeakError, shareFiles } from "../share/share-files";
import { isLang, languages, type Lang } from "../share/words/languages";
import { codesOrFiles } from "../blocked/read-codes";
import { withoutBlocked } from "../blocked/exclude-blocked";
import { CliError } from "./cli-error";
import { loadShareKey } from "./share-key-file";

export interface ShareCommandOptions {
  outputs?: string[];
  stacks?: string;
  out: string;
  batches?: string;
  perPage: string;
  lang: string;
  key?: string;
  for?: string;
  period: string;
  nodes: string;
  reserve: string;
  /** Report codes from `lifeline inside`, or files of them: nodes they find blocked are left out. */
  excludeBlocked?: string[];
  runPulumi: RunPulumi;
}

export interface ShareOutput {
  /** What the organizer reads: counts, paths, warnings. Never a link. */
  info: (text: string) => void;
  /** The ready-to-send answer of `--for` (the one place links are printed, by request). */
  answer: (text: string) => void;
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

function checkedArgs(options: ShareCommandOptions) {
  if ((options.outputs === undefined) === (options.stacks === undefined)) {
    throw new CliError("give either --outputs FILE... (each the output of `pulumi stack output --json --show-secrets`) or --stacks a,b,c");
  }
  if (!isLang(options.lang)) throw new CliError(`--lang must be one of ${languages.join(", ")}, not "${options.lang}"`);
  const reserve = Number(options.reserve);
  if (!/^(0(\.\d+)?|\.\d+)$/.test(options.reserve) || reserve >= 1) throw new CliError(`--reserve must be a share from 0 to below 1 (e.g. 0.2), not "${options.reserve}"`);
  let period: string;
  try {
    period = periodOf(options.period);
  } catch (error) {
    throw new CliError(`--period ${(error as Error).message}`);
  }
  if (options.for !== undefined && requesterId(options.for) === "") throw new CliError("--for needs the requester's handle or id, e.g. --for @aigerim");
  return {
    lang: options.lang as Lang,
    reserve,
    period,
    perPage: wholeNumber("--per-page", options.perPage, 1, 50),
    answerNodes: wholeNumber("--nodes", options.nodes, 1, 2),
    batches: options.batches === undefined ? undefined : wholeNumber("--batches", options.batches, 1, 9999),
  };
}

function readFleet(options: ShareCommandOptions): Fleet {
  if (options.outputs !== undefined) return fleetFromOutputFiles(options.outputs);
  const stacks = (options.stacks ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (stacks.length === 0) throw new CliError("--stacks needs stack names separated by commas, e.g. --stacks aigerim,bob");
  return fleetFromStacks(stacks, options.runPulumi);
}

/** The key lives beside the first outputs file; with --stacks, in the current folder. */
function keyPath(options: ShareCommandOptions): string {
  if (options.key !== undefined) return options.key;
  return join(options.outputs?.[0] !== undefined ? dirname(options.outputs[0]) : ".", "share.key");
}

type CheckedArgs = ReturnType<typeof checkedArgs>;

function fleetCount(fleet: Fleet): string {
  const n = fleet.nodes.length;
  const s = fleet.sources.length;
  return `${n} node${n === 1 ? "" : "s"} from ${s} stack${s === 1 ? "" : "s"}`;
}

/** `--for`: the answer to one request, on its own channel so it can be piped into a message. */
function answerRequest(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  if (fleet.nodes.length === 0) throw new CliError("the fleet has no nodes to hand out", 1);
  const path = keyPath(options);
  const { key, created, save } = loadShareKey(path);
  const reserved = reservedNodes(fleet.nodes, key, args.reserve);
  const nodes = nodesForRequester({ nodes: fleet.nodes, key, requester: options.for ?? "", date: options.period, count: args.answerNodes, reservedShare: args.reserve });
  const text = requestAnswerText(nodes, args.lang);
  save();
  if (created) output.info(`made a new share key: ${path} (keep it: answers depend on it)`);
  output.info(`answer for the week of ${args.period}: ${nodes.length} of ${fleetCount(fleet)}, ${reserved.size} reserved`);
  output.answer(text);
}

/** The files: computed in full first, so that bad input or arguments leave nothing written. */
function writeShareFiles(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  const batches = args.batches ?? Math.max(1, Math.ceil(fleet.nodes.length / args.perPage));
  const problem = batchRequestProblem({ nodes: fleet.nodes.map((n) => n.address), batches, perPage: args.perPage });
  if (problem) throw new CliError(problem);
  const path = keyPath(options);
  const { key, created, save } = loadShareKey(path);
  let result;
  try {
    result = shareFiles(fleet, { batches, perPage: args.perPage, lang: args.lang, key, reservedShare: args.reserve });
  } catch (error) {
    if (error instanceof MessageTooLongError || error instanceof PeopleFacingLeakError) throw new CliError(error.message, 1);
    throw error;
  }
  save();
  if (created) output.info(`made a new share key: ${path} (keep it: pages and answers depend on it)`);
  // Every file holds secrets: only the organizer may read them.
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  chmodSync(options.out, 0o700);
  for (const file of result.files) {
    writeFileSync(join(options.out, file.name), file.content, { mode: 0o600 });
    chmodSync(join(options.out, file.name), 0o600);
  }
  const counts = fleet.nodes.map((n) => result.pages.filter((p) => p.includes(n.address)).length);
  output.info(`${fleetCount(fleet)}; ${result.pages.length} batch pages of ${args.perPage} nodes; each node on ${Math.min(...counts)}-${Math.max(...counts)} pages`);
  const repeats = result.pages.length - new Set(result.pages.map((p) => [...p].sort().join(" "))).size;
  if (repeats > 0) output.info(`note: ${repeats} pages repeat another page's nodes: there are more pages than different slices`);
  if (fleet.shadowsocksServers.length === 0) output.info("note: no Shadowsocks nodes, so no outline.json");
  for (const file of result.files) output.info(`wrote ${join(options.out, file.name)}${file.peopleFacing ? "" : " (organizers only: never hand it out)"}`);
}

/** With --exclude-blocked: the fleet without the nodes the reports from inside find blocked. */
function excludeBlockedNodes(fleet: Fleet, reports: string[] | undefined, info: (text: string) => void): Fleet {
  if (reports === undefined) return fleet;
  const result = withoutBlocked(fleet, codesOrFiles(reports, "--exclude-blocked"));
  info(`left out, blocked inside by the reports: ${result.excluded.length === 0 ? "none" : result.excluded.join(", ")}`);
  return result.fleet;
}

/** `lifeline share`: merged outputs -> batch pages, posts, all.html, outline.json; or one answer. */
export function runShare(options: ShareCommandOptions, output: ShareOutput): void {
  const args = checkedArgs(options);
  const fleet = excludeBlockedNodes(readFleet(options), options.excludeBlocked, output.info);
  for (const warning of fleet.warnings) output.info(`warning: ${warning}`);
  if (options.for !== undefined) answerRequest(fleet, args, options, output);
  else writeShareFiles(fleet, args, options, output);
}
