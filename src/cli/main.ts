import { Command, CommanderError } from "commander";
import { join } from "node:path";
import { FleetConfigError } from "../config/issues";
import { UserDataTooLargeError } from "../cloudinit/encode";
import { FleetInputError } from "../fleet-input/errors";
import { runPulumiCli } from "../fleet-input/read-inputs";
import { CliError } from "./cli-error";
import { ensureStateFolderOrWarn } from "./state-folder";
import { runPlan } from "./plan-command";
import { processIo, scanCommand, scanFailure } from "./scan-command";
import { runShare, type ShareCommandOptions } from "./share-command";
import { runCost, type CostCommandOptions } from "./cost-command";
import { runExpired } from "./expired-command";
import { runCheck, type CheckCommandOptions } from "./check-command";
import { projectRoot } from "./stack-file";
import { runBlocked } from "./blocked-command";
import { insideProcessIo, runInside } from "../inside/inside-program";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Set by a command that finishes with a verdict (check: 1 when a link failed). */
let commandExitCode = 0;

function program(onScan: (run: Promise<number>) => void): Command {
  const cli = new Command("lifeline")
    .description("Tools around the lifeline Pulumi program that need no cloud account")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  cli
    .command("plan")
    .description("validate a stack offline and show its nodes and cost")
    .requiredOption("--stack <name>", "stack name: reads stacks/Pulumi.<name>.yaml")
    .option("--write-user-data <dir>", "write each node's cloud-config to <dir>/<node>.yaml")
    .option("--stacks-dir <dir>", "folder of stack files (default: stacks/ beside Pulumi.yaml)")
    .action((opts: { stack: string; writeUserData?: string; stacksDir?: string }) => {
      // `pulumi stack init`, the README's next step, needs the state folder (also made by npm ci).
      ensureStateFolderOrWarn(projectRoot(process.cwd()), (text) => process.stderr.write(`${text}\n`));
      runPlan(
        {
          stack: opts.stack,
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
    .option("--out <dir>", "folder for the files (owner-only: they hold secrets)", "out/share")
    .option("--batches <n>", "batch pages to write (default: just enough for every node)")
    .option("--per-page <n>", "nodes on each batch page", "2")
    .option("--lang <lang>", "language pages open in and posts and answers use: ru, kk or en", "ru")
    .option("--key <file>", "share key (made on first use; default: share.key beside the first outputs file, or here)")
    .option("--for <requester>", "print the answer for one requester (a handle or id) instead of writing files")
    .option("--period <date>", "any day (YYYY-MM-DD) of the week the answer is for; answers rotate weekly", today())
    .option("--exclude-blocked <codes...>", "report codes from `lifeline inside` (or files of them, one a line): leave out the nodes they find blocked")
    .option("--nodes <n>", "nodes in one answer: 1 or 2", "2")
    .option("--reserve <share>", "share of nodes never given in answers, kept for organizers", "0.2")
    .option("--pulumi <command>", "the Pulumi CLI that --stacks runs", "pulumi")
    .action((opts: Omit<ShareCommandOptions, "runPulumi"> & { pulumi: string }) => {
      runShare(
        { ...opts, runPulumi: runPulumiCli(opts.pulumi) },
        {
          // With --for, stdout carries only the answer, ready to pipe into a message.
          info: (text) => (opts.for === undefined ? process.stdout : process.stderr).write(`${text}\n`),
          answer: (text) => process.stdout.write(text),
        },
      );
    });
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
        { out: (text) => process.stdout.write(`${text}\n`), warn: (text) => process.stderr.write(`${text}\n`) },
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
    .option("--pulumi <command>", "the Pulumi CLI that --stacks runs", "pulumi")
    .action(async (opts: Omit<CheckCommandOptions, "runPulumi"> & { pulumi: string }) => {
      commandExitCode = await runCheck(
        { ...opts, runPulumi: runPulumiCli(opts.pulumi) },
        { out: (text) => process.stdout.write(`${text}\n`), info: (text) => process.stderr.write(`${text}\n`) },
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

/** Runs the CLI; input errors print a plain message and set a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    commandExitCode = 0;
    // `inside` is the one-file tool's program: the same arguments, messages and exit codes.
    if (argv[0] === "inside") return await runInside(argv.slice(1), insideProcessIo());
    // `scan` hands over its run: its failures get scan's own plain messages.
    let scan: Promise<number> | undefined;
    await program((run) => (scan = run)).parseAsync(argv, { from: "user" });
    if (scan) return await scan.catch((error: unknown) => scanFailure(error, processIo()));
    return commandExitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof FleetConfigError || error instanceof UserDataTooLargeError || error instanceof FleetInputError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (argv[0] === "scan") return scanFailure(error, processIo());
    if (error instanceof CliError) {
      process.stderr.write(`lifeline: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
