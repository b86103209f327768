import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fleetFromOutputFiles, fleetFromStacks, type RunPulumi } from "../fleet-input/read-inputs";
import type { Fleet } from "../fleet-input/types";
import { batchRequestProblem } from "../share/batches";
import { MessageTooLongError, requestAnswerText } from "../share/message-text";
import { nodesForRequester, parseRequester, periodOf, reservedNodes } from "../share/request-answer";
import { loadRequestLog } from "./request-log-file";
import { PeopleFacingLeakError, reservedFiles, shareFiles, type ShareFile } from "../share/share-files";
import { isLang, languages, type Lang } from "../share/words/languages";
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
  /** Nodes a week's handle-only answers come from. */
  handlePool: string;
  /** Handle-only answers a week, across every requester. */
  handleLimit: string;
  /** Write only the reserved nodes' pages, one node each, to hand out by hand. */
  reserved?: boolean;
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
  if (options.reserved && (options.for !== undefined || options.batches !== undefined)) throw new CliError("--reserved writes the reserved nodes' own pages: give it without --for and --batches");
  if (options.for !== undefined && parseRequester(options.for) === undefined) throw new CliError("--for needs the requester's numeric Telegram user id or handle, e.g. --for id:123456789 or --for @aigerim");
  return {
    lang: options.lang as Lang,
    reserve,
    period,
    perPage: wholeNumber("--per-page", options.perPage, 1, 50),
    answerNodes: wholeNumber("--nodes", options.nodes, 1, 2),
    handlePool: wholeNumber("--handle-pool", options.handlePool, 2, 50),
    handleLimit: wholeNumber("--handle-limit", options.handleLimit, 1, 100_000),
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
  const requester = parseRequester(options.for ?? "")!;
  // A handle is renamed freely: its answers come from a small pool, and only so many a week.
  const log = requester.kind === "handle" ? loadRequestLog(`${path}.requests`, key) : undefined;
  if (log && requester.kind === "handle" && !log.has(args.period, requester.handle) && log.count(args.period) >= args.handleLimit) {
    throw new CliError(
      `the ${args.handleLimit} answers to handles alone for the week of ${args.period} are given: ask the requester for their numeric Telegram user id and give --for id:NUMBER (or raise --handle-limit)`,
      1,
    );
  }
  const nodes = nodesForRequester({ nodes: fleet.nodes, key, requester: options.for ?? "", date: options.period, count: args.answerNodes, reservedShare: args.reserve, handlePool: args.handlePool });
  const text = requestAnswerText(nodes, args.lang);
  save();
  if (log && requester.kind === "handle") log.record(args.period, requester.handle);
  if (created) output.info(`made a new share key: ${path} (keep it: answers depend on it)`);
  const keyedOn =
    log && requester.kind === "handle"
      ? `keyed on a handle: from the week's pool of ${args.handlePool} nodes, ${log.count(args.period)} of ${args.handleLimit} handle answers this week (a numeric id, --for id:NUMBER, reaches every node)`
      : "keyed on the numeric user id";
  output.info(`answer for the week of ${args.period}: ${nodes.length} of ${fleetCount(fleet)}, ${reserved.size} reserved; ${keyedOn}`);
  output.answer(text);
}

/** The files: computed in full first, so that bad input or arguments leave nothing written. */
function writeShareFiles(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  const path = keyPath(options);
  const { key, created, save } = loadShareKey(path);
  const reserved = reservedNodes(fleet.nodes, key, args.reserve);
  const open = fleet.nodes.filter((n) => !reserved.has(n.address));
  const batches = args.batches ?? Math.max(1, Math.ceil(open.length / args.perPage));
  const problem = batchRequestProblem({ nodes: open.map((n) => n.address), batches, perPage: args.perPage });
  if (problem) throw new CliError(reserved.size > 0 ? `${problem} (${reserved.size} of ${fleet.nodes.length} nodes are reserved and on no page; see --reserve)` : problem);
  let result;
  try {
    result = shareFiles(fleet, { batches, perPage: args.perPage, lang: args.lang, key, reservedShare: args.reserve });
  } catch (error) {
    if (error instanceof MessageTooLongError || error instanceof PeopleFacingLeakError) throw new CliError(error.message, 1);
    throw error;
  }
  save();
  if (created) output.info(`made a new share key: ${path} (keep it: pages and answers depend on it)`);
  writeOwnerOnly(options.out, result.files);
  const counts = open.map((n) => result.pages.filter((p) => p.includes(n.address)).length);
  const kept = reserved.size > 0 ? `, ${reserved.size} reserved (on no page: --reserved writes them)` : "";
  output.info(`${fleetCount(fleet)}${kept}; ${result.pages.length} batch pages of ${args.perPage} nodes; each ${kept ? "other " : ""}node on ${Math.min(...counts)}-${Math.max(...counts)} pages`);
  const repeats = result.pages.length - new Set(result.pages.map((p) => [...p].sort().join(" "))).size;
  if (repeats > 0) output.info(`note: ${repeats} pages repeat another page's nodes: there are more pages than different slices`);
  if (!result.files.some((f) => f.name === "outline.json")) output.info("note: no Shadowsocks nodes, so no outline.json");
  for (const file of result.files) output.info(`wrote ${join(options.out, file.name)}${file.peopleFacing ? "" : " (organizers only: never hand it out)"}`);
}

/** Every file holds secrets: only the organizer may read them (an older run's looser modes are narrowed). */
function writeOwnerOnly(out: string, files: readonly ShareFile[]): void {
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  for (const file of files) {
    writeFileSync(join(out, file.name), file.content, { mode: 0o600 });
    chmodSync(join(out, file.name), 0o600);
  }
}

/** `--reserved`: the reserved nodes, one page and one message each, to hand out by hand. */
function writeReservedFiles(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  const path = keyPath(options);
  const { key, created, save } = loadShareKey(path);
  let files;
  try {
    files = reservedFiles(fleet, { key, reservedShare: args.reserve, lang: args.lang });
  } catch (error) {
    if (error instanceof MessageTooLongError || error instanceof PeopleFacingLeakError) throw new CliError(error.message, 1);
    throw error;
  }
  if (files.length === 0) throw new CliError(`no node is reserved (--reserve ${options.reserve} of ${fleetCount(fleet)})`, 1);
  save();
  if (created) output.info(`made a new share key: ${path} (keep it: pages and answers depend on it)`);
  writeOwnerOnly(options.out, files);
  output.info(`${files.length / 2} reserved of ${fleetCount(fleet)}: one page and one message each, to hand out by hand, one node to one person`);
  for (const file of files) output.info(`wrote ${join(options.out, file.name)}`);
}

/** `lifeline share`: merged outputs -> batch pages, posts, all.html, outline.json; or one answer. */
export function runShare(options: ShareCommandOptions, output: ShareOutput): void {
  const args = checkedArgs(options);
  const fleet = readFleet(options);
  for (const warning of fleet.warnings) output.info(`warning: ${warning}`);
  if (options.for !== undefined) answerRequest(fleet, args, options, output);
  else if (options.reserved) writeReservedFiles(fleet, args, options, output);
  else writeShareFiles(fleet, args, options, output);
}
