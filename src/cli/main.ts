import { Command, CommanderError } from "commander";
import { join } from "node:path";
import { FleetConfigError } from "../config/issues";
import { UserDataTooLargeError } from "../cloudinit/encode";
import { CliError } from "./cli-error";
import { ensureStateFolderOrWarn } from "./state-folder";
import { runPlan } from "./plan-command";
import { projectRoot } from "./stack-file";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function program(): Command {
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
  return cli;
}

/** Runs the CLI; input errors print a plain message and set a non-zero exit code. */
export function main(argv: string[]): number {
  try {
    program().parse(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof FleetConfigError || error instanceof UserDataTooLargeError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof CliError) {
      process.stderr.write(`lifeline: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
