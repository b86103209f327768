import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FleetConfigError } from "../config/issues";
import { UserDataTooLargeError } from "../cloudinit/encode";
import { FleetInputError } from "../fleet-input/errors";
import { runPulumiCli } from "../fleet-input/read-inputs";
import { CliError } from "./cli-error";
import { ensureStateFolderOrWarn } from "./state-folder";
import { runPlan } from "./plan-command";
import { processIo, scanCommand, scanFailure } from "./scan-command";
import { runShare, type ShareCommandOptions } from "./share-command";
import { shareKeyPlace } from "./share-key-file";
import { runCost, type CostCommandOptions } from "./cost-command";
import { runExpired } from "./expired-command";
import { runImagesRefresh } from "./images-command";
import { runCheck, type CheckCommandOptions } from "./check-command";
import { npmSwallowedFlags, npmSwallowedHint } from "./npm-swallowed-flags";
import { projectRoot } from "./stack-file";
import { terminalText } from "../sinks/terminal-text";
import { runFleetNew } from "./fleet-new-command";
import { runInit, type InitOptions } from "./init-command";
import { runBlocked } from "./blocked-command";
import { insideProcessIo, runInside } from "../inside/inside-program";

/** Prints a line of text that may carry strings from outputs or stack files: through the terminal sink. */
const printTo = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${terminalText(text)}\n`);

/** The stack `plan` reads: `plan aigerim` or `plan --stack aigerim`, not two different ones. */
function planStackName(name: string | undefined, flag: string | undefined): string {
  if (name !== undefined && flag !== undefined && name !== flag) throw new CliError(`give the stack once: lifeline plan ${name}, or --stack ${flag}, not both`);
  const stack = name ?? flag;
  if (stack === undefined) throw new CliError("give the stack to plan: lifeline plan <name> (reads stacks/Pulumi.<name>.yaml), e.g. lifeline plan example-do");
  return stack;
}

/** stacks/ beside Pulumi.yaml: where Pulumi reads stack files (its stackConfigDir). */
function projectStacks(): string {
  return join(projectRoot(process.cwd()), "stacks");
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The version in package.json, read from beside the sources (no JSON import into the build). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

/** Set by a command that finishes with a verdict (check: 1 when a link failed). */
let commandExitCode = 0;

function program(onScan: (run: Promise<number>) => void): Command {
  const cli = new Command("lifeline")
    .description("Tools around the lifeline Pulumi program that need no cloud account")
    .version(packageVersion(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  cli
    .command("plan")
    .description("validate a stack offline and show its nodes and cost")
    .argument("[name]", "stack name: reads stacks/Pulumi.<name>.yaml (or give --stack)")
    .option("--stack <name>", "stack name, as the argument")
    .option("--write-user-data <dir>", "write each node's cloud-config to <dir>/<node>.yaml")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action((name: string | undefined, opts: { stack?: string; writeUserData?: string; stacksDir?: string }) => {
      const stack = planStackName(name, opts.stack);
      // `pulumi stack init`, the README's next step, needs the state folder (also made by npm ci).
      ensureStateFolderOrWarn(projectRoot(process.cwd()), (text) => process.stderr.write(`${text}\n`));
      runPlan(
        {
          stack,
          stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"),
          ...(opts.writeUserData !== undefined ? { writeUserData: opts.writeUserData } : {}),
          today: today(),
        },
        (text) => process.stdout.write(`${text}\n`),
      );
    });
  cli
    .command("share")
    .description("turn stack outputs into share pages, Telegram posts, outline.json, or one request's answer")
    .option("--outputs <files...>", "stack outputs files, each from `pulumi stack output --json --show-secrets`")
    .option("--stacks <names>", "stacks on the current Pulumi backend, comma-separated: runs `pulumi stack output` for each")
    .option("--preview", "build every page, post and answer from the stack files alone (--stacks), with placeholder addresses and secrets that cannot work, each file marked PREVIEW")
    .option("--stacks-dir <dir>", "folder of stack files --preview reads (default: stacks/ beside Pulumi.yaml)")
    .option("--out <dir>", "folder for the files (owner-only: they hold secrets) (default: out/share, or out/preview with --preview)")
    .option("--small-fleet", "share a fleet of one or two nodes although every page then shows all of it")
    .option("--batches <n>", "batch pages to write (default: just enough for every node)")
    .option("--per-page <n>", "nodes on each batch page", "2")
    .option("--lang <lang>", "language pages open in and posts and answers use: ru, kk or en", "ru")
    .option("--key <file>", `share key (made on first use; default: ${shareKeyPlace})`)
    .option("--new-key", "make a new share key although the out folder holds pages made with another")
    .option("--for <requester>", "print the answer for one requester instead of writing files: their numeric Telegram user id (id:123456789) or, failing that, their handle")
    .option("--for-file <file>", 'answers for many requesters in one run: one id or handle a line; prints JSON lines {"for", "answer"}')
    .option("--handle-pool <n>", "nodes a week's answers to handles alone come from", "4")
    .option("--handle-limit <n>", "answers to new handles alone a week, across all requesters (kept beside the share key, <key>.requests)", "50")
    .option("--period <date>", "any day (YYYY-MM-DD) of the week the answer is for; answers rotate weekly", today())
    .option("--exclude-blocked <codes...>", "report codes from `lifeline inside` (or files of them, one a line): leave out the nodes they find blocked")
    .option("--nodes <n>", "nodes in one answer: 1 or 2", "2")
    .option("--reserve <share>", "share of nodes kept for organizers: on no page, post, answer or outline.json", "0.2")
    .option("--reserved", "write only the reserved nodes, one page and message each, to hand out by hand")
    .option("--subscription-base <url>", "https address the sub/ folder will be served from: each batch page and post then carries its subscription link (--publish sets it itself)")
    .option("--publish <files...>", "share stacks' outputs files (`pulumi stack output --json`): upload the batch pages and subscriptions there; the first is the address pages carry, each more a mirror. Keys: AWS's usual ones, or SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY")
    .option("--publish-empty-batches", "publish although a batch's subscription would hold no working node (apps then drop its servers)")
    .option("--pulumi <command>", "the Pulumi CLI that --stacks runs", "pulumi")
    .addHelpText(
      "after",
      `\nThe share key lives in one place: ${shareKeyPlace} (made on first use, owner-only).\n` +
        "Every batch and answer depends on it: keep it, back it up, never share it.",
    )
    .action((opts: Omit<ShareCommandOptions, "runPulumi" | "stacksDir" | "today"> & { pulumi: string; stacksDir?: string }) =>
      runShare(
        { ...opts, stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"), today: today(), runPulumi: runPulumiCli(opts.pulumi) },
        {
          // With --for, stdout carries only the answer, ready to pipe into a message.
          info: printTo(opts.for === undefined && opts.forFile === undefined ? process.stdout : process.stderr),
          answer: (text) => process.stdout.write(terminalText(text)),
        },
      ),
    );
  cli
    .command("cost")
    .description("who pays what: cost per volunteer per hour, per day and for N days, traffic included, and each one's share")
    .option("--stacks <names>", "stack files to read offline (stacks/Pulumi.<name>.yaml), comma-separated")
    .option("--outputs <files...>", "stack outputs files, each from `pulumi stack output --json --show-secrets`")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .option("--days <n>", "days to price", "30")
    .option("--gb-per-node-day <gb>", "traffic each node sends out a day (default: each stack's trafficGbPerNodeDay)")
    .option("--csv", "print CSV instead of a table")
    .option("--json", "print JSON instead of a table")
    .action((opts: Omit<CostCommandOptions, "today" | "stacksDir"> & { stacksDir?: string }) => {
      runCost(
        { ...opts, stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"), today: today() },
        { out: printTo(process.stdout), warn: printTo(process.stderr) },
      );
    });
  cli
    .command("expired")
    .description("list stacks and nodes past their expiry, what still bills, and the pulumi destroy command for each")
    .option("--stacks <names>", "stack files to read offline (stacks/Pulumi.<name>.yaml), comma-separated")
    .option("--outputs <files...>", "stack outputs files, each from `pulumi stack output --json --show-secrets`")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action((opts: { stacks?: string; outputs?: string[]; stacksDir?: string }) => {
      runExpired(
        {
          ...(opts.stacks !== undefined ? { stacks: opts.stacks } : {}),
          ...(opts.outputs !== undefined ? { outputs: opts.outputs } : {}),
          stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"),
          now: new Date().toISOString(),
        },
        printTo(process.stdout),
      );
    });
  cli
    .command("images")
    .description("pin images on purpose")
    .command("refresh")
    .description("pin the current Debian AMI of each AWS region and architecture in the stack file (from aws ec2 describe-images answers)")
    .requiredOption("--stack <name>", "stack name: reads and writes stacks/Pulumi.<name>.yaml")
    .option("--from <dir>", "folder of the describe-images answers; without it, the queries that write them are printed")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action((opts: { stack: string; from?: string; stacksDir?: string }) => {
      runImagesRefresh(
        {
          stack: opts.stack,
          stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"),
          ...(opts.from !== undefined ? { from: opts.from } : {}),
          today: today(),
        },
        (text) => process.stdout.write(`${text}\n`),
      );
    });
  cli
    .command("check")
    .description("check every link of every node from here: TCP reachability and latency, then each relay's handshake with the link's secrets")
    .option("--outputs <files...>", "stack outputs files, each from `pulumi stack output --json --show-secrets`")
    .option("--stacks <names>", "stacks on the current Pulumi backend, comma-separated: runs `pulumi stack output` for each")
    .option("--target <host>", "site to open tunnels to through the relays (443 for socks5 and http, 80 for shadowsocks)", "example.com")
    .option("--timeout <seconds>", "for each link: connect, handshake and answer", "10")
    .option("--concurrency <n>", "links checked at once", "16")
    .option("--json", "print JSON instead of a table")
    .option("--allow-private", "also connect to loopback, private, link-local and CGNAT addresses (refused by default: outputs files are untrusted)")
    .option("--pulumi <command>", "the Pulumi CLI that --stacks runs", "pulumi")
    .action(async (opts: Omit<CheckCommandOptions, "runPulumi"> & { pulumi: string }) => {
      commandExitCode = await runCheck(
        { ...opts, runPulumi: runPulumiCli(opts.pulumi) },
        { out: printTo(process.stdout), info: printTo(process.stderr) },
      );
    });
  const fleet = cli.command("fleet").description("many volunteers at once");
  fleet
    .command("new")
    .description("write every volunteer's stack file from one description (YAML or JSON), spread over regions and clouds, within a new account's limits")
    .argument("<description>", "volunteers (names, providers, nodes each), budgetPerDay, expires and openPorts; see README")
    .option("--stacks-dir <dir>", "folder to write the stack files to (default: stacks/ beside Pulumi.yaml)")
    .action((description: string, opts: { stacksDir?: string }) => {
      runFleetNew(
        { description, stacksDir: resolve(opts.stacksDir ?? projectStacks()), projectStacksDir: projectStacks(), today: today() },
        (text) => process.stdout.write(`${text}\n`),
      );
    });
  cli
    .command("init")
    .description("write one volunteer's stack file, check it, and print the commands to run next; asks for what is missing in a terminal")
    .argument("<name>", "your stack's name, e.g. aigerim: writes stacks/Pulumi.<name>.yaml")
    .option("--volunteer <name>", "your name or handle, shown on your nodes' tags (default: the stack name)")
    .option("--provider <cloud>", "digitalocean or aws (default: digitalocean)")
    .option("--nodes <n>", "how many nodes (default: 2)")
    .option("--budget <usd>", "budget in US dollars a day")
    .option("--expires <date>", "last day the nodes serve, YYYY-MM-DD")
    .option("--open-ports <ports>", "open ports the organizers gave you, comma-separated")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action(async (name: string, opts: InitOptions & { stacksDir?: string }) => {
      const { stacksDir, ...answers } = opts;
      await runInit(
        name,
        answers,
        { stacksDir: resolve(stacksDir ?? projectStacks()), projectStacksDir: projectStacks(), today: today(), interactive: process.stdin.isTTY === true },
        (text) => process.stdout.write(`${text}\n`),
      );
    });
  cli
    .command("blocked")
    .description("join report codes from `lifeline inside` with `check --json` from outside: which nodes are blocked inside; --rotate gives those new addresses")
    .argument("[codes...]", "report codes as people inside sent them")
    .option("--codes-file <file>", "more report codes, one a line")
    .option("--outside <file>", "the output of `lifeline check --json` run outside, for the same nodes")
    .option("--rotate", "raise `rotations` in the stack file of each node blocked inside (never a node down outside or disputed)")
    .option("--stacks <names>", "with --rotate: the volunteers' stacks, comma-separated (stacks/Pulumi.<name>.yaml)")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action((codes: string[], opts: { codesFile?: string; outside?: string; rotate?: boolean; stacks?: string; stacksDir?: string }) => {
      runBlocked(
        {
          codes,
          ...(opts.codesFile !== undefined ? { codesFile: opts.codesFile } : {}),
          ...(opts.outside !== undefined ? { outside: opts.outside } : {}),
          ...(opts.rotate ? { rotate: true } : {}),
          ...(opts.stacks !== undefined ? { stacks: opts.stacks } : {}),
          stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"),
          today: today(),
        },
        (text) => process.stdout.write(`${text}\n`),
        (text) => process.stderr.write(`${text}\n`),
      );
    });
  cli.addCommand(scanCommand("scan", processIo(), onScan));
  return cli;
}

/** Stops a command run through npm without `--`, which would run without its flags. */
function refuseSwallowedFlags(cli: Command, argv: string[]): void {
  const [name, ...rest] = argv;
  const command = cli.commands.find((c) => c.name() === name);
  if (name === undefined || command === undefined) return;
  const longFlags = command.options.map((o) => o.long).filter((f): f is string => f !== undefined);
  const swallowed = npmSwallowedFlags(name, rest, process.env, longFlags);
  if (swallowed.length > 0) throw new CliError(npmSwallowedHint(name, swallowed, rest, process.env), 2);
}

/** Runs the CLI; input errors print a plain message and set a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    commandExitCode = 0;
    // `inside` is the one-file tool's program: the same arguments, messages and exit codes.
    if (argv[0] === "inside") return await runInside(argv.slice(1), insideProcessIo());
    // `scan` hands over its run: its failures get scan's own plain messages.
    let scan: Promise<number> | undefined;
    const cli = program((run) => (scan = run));
    refuseSwallowedFlags(cli, argv);
    await cli.parseAsync(argv, { from: "user" });
    if (scan) return await scan.catch((error: unknown) => scanFailure(error, processIo()));
    return commandExitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof FleetInputError) {
      // Only commands that write files have something to hold back.
      printTo(process.stderr)(error.describe(["share", "fleet", "init"].includes(argv[0] ?? "")));
      return 1;
    }
    if (error instanceof FleetConfigError || error instanceof UserDataTooLargeError) {
      printTo(process.stderr)(error.message);
      return 1;
    }
    if (argv[0] === "scan") return scanFailure(error, processIo());
    if (error instanceof CliError) {
      printTo(process.stderr)(`lifeline: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
