import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { previewFleet } from "../fleet-input/preview-fleet";
import { fleetFromOutputFiles, fleetFromStacks, type RunPulumi } from "../fleet-input/read-inputs";
import type { Fleet } from "../fleet-input/types";
import { batchRequestProblem } from "../share/batches";
import { MessageTooLongError, requestAnswerText } from "../share/message-text";
import { nodesForRequester, parseRequester, periodOf, reservedNodes } from "../share/request-answer";
import { markPreview, markText } from "../share/preview-mark";
import { loadRequestLog } from "./request-log-file";
import { parseSubscriptionBase } from "../share/subscriptions";
import { PeopleFacingLeakError, reservedFiles, shareFiles, type ShareFile } from "../share/share-files";
import { isLang, languages, type Lang } from "../share/words/languages";
import { codesOrFiles } from "../blocked/read-codes";
import { withoutBlocked } from "../blocked/exclude-blocked";
import { CliError } from "./cli-error";
import { FleetInputError } from "../fleet-input/errors";
import { parseShareTarget, type ShareTarget } from "../share/publish/share-target";
import { s3ClientSettings, type S3ClientSettings } from "../share/publish/client-settings";
import { publishedAddresses, uploadPlan, type PlannedUpload } from "../share/publish/upload-plan";
import { emptyBatches } from "../share/publish/empty-batches";
import { uploadFailureMessage } from "../share/publish/upload-failure";
import { listKeys, putObjects } from "../share/publish/s3-upload";
import { staleBatches } from "../share/publish/stale-batches";
import { stackList } from "./fleet-args";
import { readHandles } from "./handles-file";
import { chooseShareKey } from "./share-key-guard";

export interface ShareCommandOptions {
  outputs?: string[];
  stacks?: string;
  /** Default: out/share, or out/preview with --preview. */
  out?: string;
  /** Build everything from the stack files, with placeholder addresses and secrets. */
  preview?: boolean;
  /** Folder of stack files --preview reads. */
  stacksDir: string;
  today: string;
  /** Let pages show the whole of a one- or two-node fleet. */
  smallFleet?: boolean;
  /** Make a new share key although pages made with another are in the out folder. */
  newKey?: boolean;
  batches?: string;
  perPage: string;
  lang: string;
  key?: string;
  for?: string;
  /** A file of requesters, one a line: an answer for each. */
  forFile?: string;
  period: string;
  nodes: string;
  reserve: string;
  /** Nodes a week's handle-only answers come from. */
  handlePool: string;
  /** Handle-only answers a week, across every requester. */
  handleLimit: string;
  /** Write only the reserved nodes' pages, one node each, to hand out by hand. */
  reserved?: boolean;
  /** Report codes from `lifeline inside`, or files of them: nodes they find blocked are left out. */
  excludeBlocked?: string[];
  /** https URL the `sub/` folder will be served from: pages and posts then carry each batch's subscription. */
  subscriptionBase?: string;
  /** Share stacks' outputs files: upload pages and subscriptions to each (the first is the main host, the rest mirrors). */
  publish?: string[];
  /** Publish although a batch's subscription would hold no working node. */
  publishEmptyBatches?: boolean;
  /** Where Spaces keys are read from (process.env). */
  env?: Readonly<Record<string, string | undefined>>;
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
  if (options.preview && options.stacks === undefined) {
    throw new CliError("--preview reads stack files, not outputs: give --stacks a,b (stacks/Pulumi.<name>.yaml)");
  }
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
  if (options.for !== undefined && options.forFile !== undefined) throw new CliError("give either --for one requester or --for-file FILE of them, not both");
  if (options.reserved && (options.for !== undefined || options.batches !== undefined)) throw new CliError("--reserved writes the reserved nodes' own pages: give it without --for and --batches");
  if (options.for !== undefined && parseRequester(options.for) === undefined) throw new CliError("--for needs the requester's numeric Telegram user id or handle, e.g. --for id:123456789 or --for @aigerim");
  let subscriptionBase: URL | undefined;
  if (options.subscriptionBase !== undefined) {
    const base = parseSubscriptionBase(options.subscriptionBase);
    if ("problem" in base) throw new CliError(`--subscription-base ${base.problem}: give the https address the sub/ folder will be served from, e.g. https://example.org/path/`);
    if (options.for !== undefined || options.forFile !== undefined || options.reserved) throw new CliError("--subscription-base goes on batch pages: give it without --for, --for-file and --reserved");
    subscriptionBase = base;
  }
  const publish = options.publish !== undefined ? publishTargets(options) : undefined;
  if (options.publishEmptyBatches && publish === undefined) throw new CliError("--publish-empty-batches goes with --publish: give the share stack's outputs file to publish to");
  return {
    ...(subscriptionBase !== undefined ? { subscriptionBase } : {}),
    ...(publish !== undefined ? { publish } : {}),
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

/** `--publish`: every share stack's target and client settings, or every problem with them; before anything is written. */
function publishTargets(options: ShareCommandOptions): { target: ShareTarget; settings: S3ClientSettings }[] {
  if (options.preview) throw new CliError("--preview pages carry placeholder links that cannot work: publish without --preview");
  if (options.for !== undefined || options.forFile !== undefined || options.reserved) throw new CliError("--publish uploads batch pages and subscriptions: give it without --for, --for-file and --reserved");
  if (options.subscriptionBase !== undefined) throw new CliError("--publish takes the subscription address from the share stack's baseUrl: give it without --subscription-base");
  const problems: string[] = [];
  const targets: { target: ShareTarget; settings: S3ClientSettings }[] = [];
  for (const path of options.publish ?? []) {
    const parsed = readShareTarget(path);
    if ("problems" in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const settings = s3ClientSettings(parsed, options.env ?? process.env);
    if ("problem" in settings) problems.push(settings.problem);
    else targets.push({ target: parsed, settings });
  }
  const seen = new Set<string>();
  for (const { target } of targets) {
    if (seen.has(target.baseUrl.href)) problems.push(`${target.source}: share.baseUrl ${target.baseUrl.href} is already given by another --publish file: give each share stack once`);
    seen.add(target.baseUrl.href);
  }
  if (problems.length > 0) throw new FleetInputError(problems, "the share stack outputs (--publish)");
  return targets;
}

function readShareTarget(path: string): ShareTarget | { problems: string[] } {
  try {
    return parseShareTarget(path, readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code})`;
    return { problems: [`${path}: ${why}: write it with \`pulumi stack output --json --stack <share stack> > ${path}\``] };
  }
}

function readFleet(options: ShareCommandOptions): Fleet {
  if (options.outputs !== undefined) return fleetFromOutputFiles(options.outputs);
  const stacks = stackList(options.stacks ?? "");
  if (options.preview) return previewFleet(options.stacksDir, stacks, options.today);
  return fleetFromStacks(stacks, options.runPulumi);
}

function outDir(options: ShareCommandOptions): string {
  return options.out ?? (options.preview ? join("out", "preview") : join("out", "share"));
}

/** The fleet's share key from its one place (a preview's is its own, never saved). */
function shareKey(options: ShareCommandOptions, output: ShareOutput) {
  return chooseShareKey(
    {
      out: outDir(options),
      ...(options.key !== undefined ? { key: options.key } : {}),
      ...(options.outputs !== undefined ? { outputs: options.outputs } : {}),
      ...(options.newKey ? { newKey: true } : {}),
      ...(options.preview ? { preview: true } : {}),
    },
    output.info,
  );
}

type CheckedArgs = ReturnType<typeof checkedArgs>;

function fleetCount(fleet: Fleet): string {
  const n = fleet.nodes.length;
  const s = fleet.sources.length;
  return `${n} node${n === 1 ? "" : "s"} from ${s} stack${s === 1 ? "" : "s"}`;
}

/**
 * `--for`: the answer to one request, on its own channel so it can be piped into a message.
 * `--for-file`: one answer per requester in one run, as JSON lines `{"for", "answer"}`.
 */
function answerRequests(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  // Read first: a bad handles file leaves no key made.
  const requesters = options.forFile !== undefined ? readHandles(options.forFile) : [options.for ?? ""];
  if (fleet.nodes.length === 0) throw new CliError("the fleet has no nodes to hand out", 1);
  const { key, path, created, save } = shareKey(options, output);
  const reserved = reservedNodes(fleet.nodes, key, args.reserve);
  // A handle is renamed freely: its answers come from a small pool, and only so many a week
  // across all requesters (a preview's throwaway key keeps no log).
  const log = options.preview ? undefined : loadRequestLog(`${path}.requests`, key);
  const newHandles = new Set<string>();
  const answers = requesters.map((raw) => {
    const requester = parseRequester(raw)!;
    if (log && requester.kind === "handle" && !log.has(args.period, requester.handle) && !newHandles.has(requester.handle)) {
      if (log.count(args.period) + newHandles.size >= args.handleLimit) {
        const refused = `the ${args.handleLimit} answers to handles alone for the week of ${args.period} are given: ask the requester for their numeric Telegram user id and give ${options.forFile === undefined ? "--for " : "the line "}id:NUMBER (or raise --handle-limit)`;
        if (options.forFile === undefined) throw new CliError(refused, 1);
        return { requester: raw, kind: requester.kind, count: 0, text: undefined, refused };
      }
      newHandles.add(requester.handle);
    }
    const nodes = nodesForRequester({ nodes: fleet.nodes, key, requester: raw, date: options.period, count: args.answerNodes, reservedShare: args.reserve, handlePool: args.handlePool });
    const text = requestAnswerText(nodes, args.lang);
    return { requester: raw, kind: requester.kind, count: nodes.length, text: options.preview ? markText(text) : text, refused: undefined };
  });
  save();
  if (log && newHandles.size > 0) log.record(args.period, newHandles);
  if (created) output.info(`made a new share key: ${path} (keep it: answers depend on it)`);
  const each = answers.find((a) => a.text !== undefined)?.count ?? 0;
  const handleNote = log ? `; ${log.count(args.period)} of ${args.handleLimit} handle answers this week, from the week's pool of ${args.handlePool} nodes (a numeric id, id:NUMBER, reaches every node)` : "";
  if (options.forFile === undefined) {
    const keyedOn =
      answers[0]?.kind === "handle" && log
        ? `keyed on a handle: from the week's pool of ${args.handlePool} nodes, ${log.count(args.period)} of ${args.handleLimit} handle answers this week (a numeric id, --for id:NUMBER, reaches every node)`
        : answers[0]?.kind === "handle"
          ? `keyed on a handle: from the week's pool of ${args.handlePool} nodes`
          : "keyed on the numeric user id";
    output.info(`answer for the week of ${args.period}: ${each} of ${fleetCount(fleet)}, ${reserved.size} reserved; ${keyedOn}`);
    output.answer(answers[0]?.text ?? "");
    return;
  }
  const refused = answers.filter((a) => a.refused !== undefined).length;
  output.info(`answers for the week of ${args.period}: ${answers.length} requesters, ${each} nodes each of ${fleetCount(fleet)}, ${reserved.size} reserved${refused > 0 ? `; ${refused} handles refused (weekly limit): ask them for their numeric id` : ""}${handleNote}`);
  output.answer(answers.map((a) => `${JSON.stringify(a.refused === undefined ? { for: a.requester, answer: a.text } : { for: a.requester, refused: a.refused })}\n`).join(""));
}

/**
 * The files: computed in full first, so that bad input or arguments leave nothing written.
 * With --publish, returns what to upload where.
 */
function writeShareFiles(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): Publication | undefined {
  const { key, path, created, save } = shareKey(options, output);
  // Reserved nodes are on no page: the pages share out the others.
  const reserved = reservedNodes(fleet.nodes, key, args.reserve);
  const open = fleet.nodes.filter((n) => !reserved.has(n.address));
  const wholeFleetPages = options.smallFleet === true && args.perPage >= open.length;
  const perPage = wholeFleetPages ? open.length : args.perPage;
  const batches = args.batches ?? Math.max(1, Math.ceil(open.length / perPage));
  const problem = batchRequestProblem({ nodes: open.map((n) => n.address), batches, perPage, wholeFleetPages });
  if (problem) throw new CliError(reserved.size > 0 ? `${problem} (${reserved.size} of ${fleet.nodes.length} nodes are reserved and on no page; see --reserve)` : problem);
  // Publishing: the first share stack's address is the subscription's, the others its mirrors.
  const hosts = args.publish !== undefined ? { subscriptionBase: args.publish[0]!.target.baseUrl, mirrorBases: args.publish.slice(1).map((p) => p.target.baseUrl) } : args.subscriptionBase ? { subscriptionBase: args.subscriptionBase } : {};
  let result;
  try {
    result = shareFiles(fleet, { batches, perPage, lang: args.lang, key, reservedShare: args.reserve, wholeFleetPages, ...hosts });
  } catch (error) {
    if (error instanceof MessageTooLongError || error instanceof PeopleFacingLeakError) throw new CliError(error.message, 1);
    throw error;
  }
  const emptyNote = args.publish !== undefined ? refuseEmptyBatches(fleet, result.pages, reserved.size, options) : undefined;
  const files = options.preview ? markPreview(result.files) : result.files;
  const out = outDir(options);
  save();
  if (created) output.info(`made a new share key: ${path} (keep it: pages and answers depend on it)`);
  writeOwnerOnly(out, files);
  const counts = open.map((n) => result.pages.filter((p) => p.includes(n.address)).length);
  if (options.preview) output.info("PREVIEW: placeholder addresses (192.0.2.x, TEST-NET) and secrets; every file says its links do not work");
  if (wholeFleetPages) output.info(`warning: --small-fleet: every page shows the whole fleet of ${open.length}; one leaked page burns every node, so add nodes soon`);
  const kept = reserved.size > 0 ? `, ${reserved.size} reserved (on no page: --reserved writes them)` : "";
  output.info(`${fleetCount(fleet)}${kept}; ${result.pages.length} batch pages of ${perPage} nodes; each ${kept ? "other " : ""}node on ${Math.min(...counts)}-${Math.max(...counts)} pages`);
  const repeats = result.pages.length - new Set(result.pages.map((p) => [...p].sort().join(" "))).size;
  if (repeats > 0) output.info(`note: ${repeats} pages repeat another page's nodes: there are more pages than different slices`);
  if (!files.some((f) => f.name === "outline.json")) output.info("note: no Shadowsocks nodes, so no outline.json");
  for (const file of files) output.info(`wrote ${join(out, file.name)}${file.peopleFacing ? "" : " (organizers only: never hand it out)"}`);
  if (args.publish === undefined) return undefined;
  const targets = args.publish.map((p) => p.target);
  writeOwnerOnly(out, [{ name: "published.txt", content: publishedAddresses(targets, result.tokens), peopleFacing: false }]);
  output.info(`wrote ${join(out, "published.txt")} (organizers only: each batch's page and subscription address to hand out)`);
  return { key, batches: result.tokens.length, uploads: args.publish.map((p) => ({ ...p, plan: uploadPlan(files, result.tokens, p.target.uploadAcl) })), ...(emptyNote !== undefined ? { emptyNote } : {}) };
}

interface Publication {
  /** The share key: stale subscriptions are found by their tokens. */
  key: Buffer;
  /** Batches written this run. */
  batches: number;
  uploads: { target: ShareTarget; settings: S3ClientSettings; plan: PlannedUpload[] }[];
  /** --publish-empty-batches: which batches went out empty, said after the upload so it is read last. */
  emptyNote?: string;
}

/** A batch whose subscription would hold no working node is not published unless asked for by name. */
function refuseEmptyBatches(fleet: Fleet, pages: readonly string[][], reserved: number, options: ShareCommandOptions): string | undefined {
  const byAddress = new Map(fleet.nodes.map((n) => [n.address, n]));
  const empty = emptyBatches(pages.map((addresses) => addresses.map((a) => byAddress.get(a)!)));
  if (empty.length === 0) return undefined;
  const width = Math.max(2, String(pages.length).length);
  const names = empty.map((n) => `batch ${String(n).padStart(width, "0")}`).join(", ");
  const takenOut = `${reserved} reserved${options.excludeBlocked !== undefined ? " and the nodes reported blocked" : ""} taken out`;
  if (!options.publishEmptyBatches) {
    throw new CliError(
      `${names}: its subscription would hold no working node (no vless or Shadowsocks link left, ${takenOut}); apps that refresh it would drop every server. ` +
        "Add vless or Shadowsocks nodes (or rotate the blocked ones) and publish again, lower --reserve, or give --publish-empty-batches to publish it anyway; nothing was written or uploaded",
      1,
    );
  }
  return `warning: --publish-empty-batches: ${names} published with no working node (${takenOut}): its apps drop every server until nodes are added`;
}

/** Subscriptions of batches this run did not write serve old links forever: said, with the fix. */
async function warnOfStaleBatches(publication: Publication, target: ShareTarget, settings: S3ClientSettings, output: ShareOutput): Promise<void> {
  const listed = await listKeys(settings, target.bucket, "sub/");
  if ("error" in listed) {
    output.info(`note: could not list ${target.bucket} (${listed.error.name}) to look for subscriptions of batches this run did not write`);
    return;
  }
  const stale = staleBatches(listed.keys, publication.key, publication.batches);
  if (stale.length === 0) return;
  output.info(
    `warning: ${target.bucket} still serves the subscriptions of batch${stale.length === 1 ? "" : "es"} ${stale.join(", ")}, which this run did not write (${publication.batches} batches): ` +
      `people who imported them keep the old links and get no rotation. Publish with --batches ${Math.max(...stale)} to keep feeding them`,
  );
}

/** Uploads to each share stack in turn; the first refusal stops the run with its message. */
async function publish(publication: Publication, output: ShareOutput): Promise<void> {
  for (const { target, settings, plan } of publication.uploads) {
    const { failed } = await putObjects(settings, target.bucket, plan);
    if (failed) throw new CliError(uploadFailureMessage(target, failed.key, failed.error), 1);
    output.info(`published ${plan.length} files to ${target.bucket} (${target.provider}, read at ${target.baseUrl.host})`);
    await warnOfStaleBatches(publication, target, settings, output);
  }
  if (publication.emptyNote !== undefined) output.info(publication.emptyNote);
}

/** Every file holds secrets: only the organizer may read them (an older run's looser modes are narrowed). */
function writeOwnerOnly(out: string, files: readonly ShareFile[]): void {
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  for (const file of files) {
    // sub/ holds the subscriptions: owner-only as well.
    mkdirSync(dirname(join(out, file.name)), { recursive: true, mode: 0o700 });
    chmodSync(dirname(join(out, file.name)), 0o700);
    writeFileSync(join(out, file.name), file.content, { mode: 0o600 });
    chmodSync(join(out, file.name), 0o600);
  }
}

/** `--reserved`: the reserved nodes, one page and one message each, to hand out by hand. */
function writeReservedFiles(fleet: Fleet, args: CheckedArgs, options: ShareCommandOptions, output: ShareOutput): void {
  const { key, path, created, save } = shareKey(options, output);
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
  writeOwnerOnly(outDir(options), files);
  output.info(`${files.length / 2} reserved of ${fleetCount(fleet)}: one page and one message each, to hand out by hand, one node to one person`);
  for (const file of files) output.info(`wrote ${join(outDir(options), file.name)}`);
}

/** With --exclude-blocked: the fleet without the nodes the reports from inside find blocked. */
function excludeBlockedNodes(fleet: Fleet, reports: string[] | undefined, info: (text: string) => void): Fleet {
  if (reports === undefined) return fleet;
  const result = withoutBlocked(fleet, codesOrFiles(reports, "--exclude-blocked"));
  info(`left out, blocked inside by the reports: ${result.excluded.length === 0 ? "none" : result.excluded.join(", ")}`);
  return result.fleet;
}

/**
 * `lifeline share`: merged outputs -> batch pages, posts, all.html, outline.json; or one answer.
 * Synchronous, but for --publish: after writing, it uploads pages and subscriptions to the share
 * stacks (the promise returned). Bad input throws before anything is written.
 */
export function runShare(options: ShareCommandOptions, output: ShareOutput): Promise<void> | undefined {
  const args = checkedArgs(options);
  const fleet = excludeBlockedNodes(readFleet(options), options.excludeBlocked, output.info);
  for (const warning of fleet.warnings) output.info(`warning: ${warning}`);
  if (options.for !== undefined || options.forFile !== undefined) answerRequests(fleet, args, options, output);
  else if (options.reserved) writeReservedFiles(fleet, args, options, output);
  else {
    const publication = writeShareFiles(fleet, args, options, output);
    if (publication !== undefined) return publish(publication, output);
  }
  return undefined;
}
