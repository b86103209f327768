import { checkFleet, type LinkCheck } from "../check/check-fleet";
import { checkJson, checkTable, progressLine } from "./check-report";
import { fleetFromOutputFiles, fleetFromStacks, type RunPulumi } from "../fleet-input/read-inputs";
import { CliError } from "./cli-error";
import { numberArg, oneFleetSource } from "./fleet-args";

export interface CheckCommandOptions {
  outputs?: string[];
  stacks?: string;
  runPulumi: RunPulumi;
  /** The site tunnels are opened to through each relay. */
  target: string;
  timeout: string;
  concurrency: string;
  json?: boolean;
  /** Connect to loopback, private, link-local and CGNAT addresses too (refused by default). */
  allowPrivate?: boolean;
}

export interface CheckOutput {
  /** The table or JSON. */
  out: (text: string) => void;
  /** Progress and warnings. */
  info: (text: string) => void;
}

// A host name or IPv4 address, nothing a shell or a request line could misread.
const targetShape = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/**
 * `lifeline check`: every link of every node, from this machine: TCP reachability and latency,
 * then each relay kind's own handshake with the link's secrets. Returns the exit code: 1 when
 * any link failed.
 */
export async function runCheck(options: CheckCommandOptions, output: CheckOutput): Promise<number> {
  if (!targetShape.test(options.target)) throw new CliError(`--target must be a host name or IPv4 address, e.g. --target example.com, not "${options.target}"`);
  const timeoutSeconds = numberArg("--timeout", options.timeout, 1, 120, false);
  const concurrency = numberArg("--concurrency", options.concurrency, 1, 256, true);
  const source = oneFleetSource(options, "stacks on the current Pulumi backend: runs `pulumi stack output` for each");
  const fleet = "outputs" in source ? fleetFromOutputFiles(source.outputs) : fleetFromStacks(source.stacks, options.runPulumi);
  for (const warning of fleet.warnings) output.info(`warning: ${warning}`);
  const links = fleet.nodes.reduce((n, node) => n + node.relays.length, 0);
  if (links === 0) throw new CliError("the outputs hold no relay links to check", 1);
  output.info(`checking ${links} links of ${fleet.nodes.length} nodes (target ${options.target}, ${timeoutSeconds} s each)`);
  const results: LinkCheck[] = await checkFleet(
    fleet.nodes,
    {
      target: { host: options.target, tunnelPort: 443, requestPort: 80 },
      timeoutMs: timeoutSeconds * 1000,
      allowPrivate: options.allowPrivate === true,
      concurrency,
      unixSeconds: () => Math.floor(Date.now() / 1000),
    },
    (result, done, total) => output.info(progressLine(result, done, total)),
  );
  output.out(options.json ? checkJson(results) : checkTable(results));
  return results.every((r) => r.ok) ? 0 : 1;
}
