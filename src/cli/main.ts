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
import { shareKeyPlace } from "./share-key-file";
import { runCost, type CostCommandOptions } from "./cost-command";
import { runExpired } from "./expired-command";
import { runCheck, type CheckCommandOptions } from "./check-command";
import { projectRoot } from "./stack-file";
import { terminalText } from "../sinks/terminal-text";

/** Prints a line of text that may carry strings from outputs or stack files: through the terminal sink. */
const printTo = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${terminalText(text)}\n`);

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
    .option("--preview", "build every page, post and answer from the stack files alone (--stacks), with placeholder addresses and secrets that cannot work, each file marked PREVIEW")
    .option("--stacks-dir <dir>", "folder of stack files --preview reads (default: stacks/ beside Pulumi.yaml)")
    .option("--out <dir>", "folder for the files (owner-only: they hold secrets) (default: out/share, or out/preview with --preview)")
    .option("--small-fleet", "share a fleet of one or two nodes although every page then shows all of it")
    .option("--batches <n>", "batch pages to write (default: just enough for every node)")
    .option("--per-page <n>", "nodes on each batch page", "2")
    .option("--lang <lang>", "language pages open in and posts and answers use: ru, kk or en", "ru")
    .option("--key <file>", `share key (made on first use; default: ${shareKeyPlace})`)
    .option("--new-key", "make a new share key although the out folder holds pages made with another")
    .option("--for <requester>", "print the answer for one requester (a handle or id) instead of writing files")
    .option("--for-file <file>", 'answers for many requesters in one run: one handle or id a line; prints JSON lines {"for", "answer"}')
    .option("--period <date>", "any day (YYYY-MM-DD) of the week the answer is for; answers rotate weekly", today())
    .option("--nodes <n>", "nodes in one answer: 1 or 2", "2")
    .option("--reserve <share>", "share of nodes kept for organizers: on no page, post, answer or outline.json", "0.2")
    .option("--reserved", "write only the reserved nodes, one page and message each, to hand out by hand")
    .option("--pulumi <command>", "the Pulumi CLI that --stacks runs", "pulumi")
    .addHelpText(
      "after",
      `\nThe share key lives in one place: ${shareKeyPlace} (made on first use, owner-only).\n` +
        "Every batch and answer depends on it: keep it, back it up, never share it.",
    )
    .action((opts: Omit<ShareCommandOptions, "runPulumi" | "stacksDir" | "today"> & { pulumi: string; stacksDir?: string }) => {
      runShare(
        { ...opts, stacksDir: opts.stacksDir ?? join(projectRoot(process.cwd()), "stacks"), today: today(), runPulumi: runPulumiCli(opts.pulumi) },
        {
          // With --for, stdout carries only the answer, ready to pipe into a message.
          info: printTo(opts.for === undefined && opts.forFile === undefined ? process.stdout : process.stderr),
          answer: (text) => process.stdout.write(terminalText(text)),
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
  cli.addCommand(scanCommand("scan", processIo(), onScan));
  return cli;
}

/** Runs the CLI; input errors print a plain message and set a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    commandExitCode = 0;
    // `scan` hands over its run: its failures get scan's own plain messages.
    let scan: Promise<number> | undefined;
    await program((run) => (scan = run)).parseAsync(argv, { from: "user" });
    if (scan) return await scan.catch((error: unknown) => scanFailure(error, processIo()));
    return commandExitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof FleetConfigError || error instanceof UserDataTooLargeError || error instanceof FleetInputError) {
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
