import { Command, CommanderError, InvalidArgumentError } from "commander";
import { isIP } from "node:net";
import { probeTokenLength, probeTokenPattern } from "../probe/protocol";
import { probeAttempt } from "../scan/attempt";
import { LocalLimitError } from "../scan/paced-pool";
import { fullRange, parsePortSpec, PortSpecError } from "../scan/port-spec";
import { progressReporter } from "../scan/progress-bar";
import { scanReportJson, scanReportText } from "../scan/scan-report";
import { scanPorts } from "../scan/scan-ports";
import { StackFileError, writeOpenPorts } from "../scan/stack-open-ports";

/** Ports tried per second by default: gentle enough not to look like an attack (README has the time). */
export const defaultRate = 250;
export const defaultTimeoutMs = 2000;
export const tokenVariable = "LIFELINE_PROBE_TOKEN";

export interface ScanIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTerminal: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

interface ScanFlags {
  token?: string;
  ports: string;
  rate: number;
  parallel?: number;
  timeout: number;
  retests: number;
  json?: boolean;
  writeStack?: string;
  progress: boolean;
}

/** A bad argument: printed plainly, exit code 2. */
class ScanInputError extends Error {}

function wholeNumber(name: string, min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function checkedToken(flag: string | undefined, env: ScanIo["env"]): string {
  const token = (flag ?? env[tokenVariable] ?? "").trim();
  if (token === "") {
    throw new ScanInputError(`give the probe token: --token <token> (\`npx pulumi stack output probeToken --show-secrets\`), or set ${tokenVariable}`);
  }
  // Never repeat the token itself: the message may end up in a chat or a screenshot.
  if (!probeTokenPattern.test(token)) {
    throw new ScanInputError(`that is not a probe token: a token is ${probeTokenLength} letters and digits (this one has ${token.length} characters); copy it again from \`npx pulumi stack output probeToken --show-secrets\``);
  }
  return token;
}

function checkedAddress(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 0) {
    throw new ScanInputError(`"${address}" is not an IP address: give the probe's address (\`npx pulumi stack output probe\`), e.g. lifeline scan 203.0.113.7 --token <token>`);
  }
  return bare;
}

const unreachableWords: Record<string, string> = {
  ENETUNREACH: "the network cannot be reached (is this machine online?)",
  EHOSTUNREACH: "the host cannot be reached",
};

function unreachableText(code: string): string {
  return `${unreachableWords[code] ?? "it cannot be reached"} (${code})`;
}

/** The scan command's options and action; `name` is `scan` under `lifeline`, or the standalone file's. */
export function scanCommand(name: string, io: ScanIo, started: (run: Promise<number>) => void): Command {
  return new Command(name)
    .description("find which TCP ports reach a probe node from here (run it inside the blackout)")
    .argument("<probe-address>", "the probe's IP address (`npx pulumi stack output probe`)")
    .option("--token <token>", `the probe token (\`npx pulumi stack output probeToken --show-secrets\`); or set ${tokenVariable}`)
    .option("--ports <list>", "ports and ranges to scan, e.g. 1-1024,8080", fullRange)
    .option("--rate <n>", "ports tried per second: raise it for a faster scan, lower it to stay unnoticed", wholeNumber("--rate", 1, 20000), defaultRate)
    .option("--parallel <n>", "ports in flight at once (default: enough for the rate)", wholeNumber("--parallel", 1, 30000))
    .option("--timeout <ms>", "how long one connection, and then its answer, may take", wholeNumber("--timeout", 200, 30000), defaultTimeoutMs)
    .option("--retests <n>", "rounds of re-tests of every candidate and a sample of silent ports, a second apart", wholeNumber("--retests", 0, 10), 2)
    .option("--json", "print the result as JSON")
    .option("--write-stack <file>", "set openPorts in this stack file to the open ports, keeping its comments")
    .option("--no-progress", "no progress bar")
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t) })
    // The action returns nothing: a promise returned to commander would be chained there, and its
    // rejection left unhandled (a stack trace instead of the plain message).
    .action((address: string, flags: ScanFlags) => {
      started(runScan(address, flags, io));
    });
}

async function runScan(rawAddress: string, flags: ScanFlags, io: ScanIo): Promise<number> {
  const address = checkedAddress(rawAddress);
  const token = checkedToken(flags.token, io.env);
  let ports: number[];
  try {
    ports = parsePortSpec(flags.ports);
  } catch (error) {
    if (error instanceof PortSpecError) throw new ScanInputError(`--ports ${error.message}`);
    throw error;
  }
  // Enough in flight for the rate: a silent port holds its slot for the whole timeout.
  const parallel = flags.parallel ?? Math.ceil(flags.rate * (flags.timeout / 1000) * 1.25) + 16;
  const progress = flags.progress ? progressReporter(io.stderr, io.stderrIsTerminal) : undefined;
  const result = await scanPorts({
    ports,
    attempt: probeAttempt({ host: address, token, timeoutMs: flags.timeout, hedgeMs: Math.round(flags.timeout / 4) }),
    rate: flags.rate,
    parallel,
    retestRounds: flags.retests,
    gapMs: 1000,
    silentSampleShare: 0.01,
    minSilentSample: Math.min(200, ports.length),
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    onOnlyUnreachable: (code) =>
      io.stderr(`\nlifeline scan: every answer so far says ${unreachableText(code)}: check the address (\`npx pulumi stack output probe\`); the scan goes on, since a censor may answer blocked ports the same way (Ctrl-C stops it)\n`),
  }).finally(() => progress?.end());
  io.stdout(flags.json ? `${JSON.stringify(scanReportJson(address, flags.ports, result), null, 2)}\n` : scanReportText(address, result));
  if (result.open.length === 0) {
    const why = result.probeShapedWrongAnswer
      ? "something answered like the probe but could not prove the token: check --token against `npx pulumi stack output probeToken --show-secrets`"
      : result.unreachableCode !== undefined
        ? `cannot reach the probe: ${unreachableText(result.unreachableCode)}; check the address (\`npx pulumi stack output probe\`)`
        : result.intercepted.length > 0
        ? "no port reaches the probe: every answer came from something in between"
        : result.refused.length > 0
          ? `every answer was a reset: the probe at ${address} is not running, the address is wrong, or something in between resets every connection`
          : `nothing answered on any port: the probe at ${address} is down or the address is wrong, or every scanned port is blocked`;
    io.stderr(`lifeline scan: no open port found; ${why}\n`);
    return 1;
  }
  if (flags.writeStack !== undefined) {
    writeOpenPorts(flags.writeStack, result.open);
    io.stderr(`lifeline scan: set openPorts in ${flags.writeStack} to [${result.open.join(", ")}]\n`);
  }
  return 0;
}

/** Turns what went wrong into a plain message and an exit code: never a stack trace. */
export function scanFailure(error: unknown, io: ScanIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof ScanInputError) {
    io.stderr(`lifeline scan: ${error.message}\n`);
    return 2;
  }
  if (error instanceof LocalLimitError || error instanceof StackFileError) {
    io.stderr(`lifeline scan: ${error.message}\n`);
    return 1;
  }
  io.stderr(`lifeline scan: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** Runs `scan` as its own program (the one-file build): arguments after the program name. */
export async function runScanProgram(argv: readonly string[], io: ScanIo): Promise<number> {
  let run: Promise<number> | undefined;
  try {
    scanCommand("lifeline-scan", io, (r) => (run = r)).parse([...argv], { from: "user" });
    return run ? await run : 0;
  } catch (error) {
    return scanFailure(error, io);
  }
}

/** Standard streams and environment of this process. */
export function processIo(): ScanIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTerminal: process.stderr.isTTY === true,
    env: process.env,
  };
}
