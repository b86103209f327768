import { formatPorts } from "./port-spec";
import type { ScanResult } from "./scan-ports";

/** The exact line for a stack file. */
export function openPortsLine(open: readonly number[]): string {
  return `openPorts: [${open.join(", ")}]`;
}

const count = (n: number) => n.toLocaleString("en-US");
const list = (ports: readonly number[]) => (ports.length === 0 ? "none" : formatPorts(ports));

/** The result for a person: each kind of port, what it means, and the line for the stack file. */
export function scanReportText(address: string, result: ScanResult): string {
  const lines = [
    `Scanned ${count(result.tested)} port${result.tested === 1 ? "" : "s"} of ${address} in ${Math.round(result.seconds)} s (${count(result.tries)} tries).`,
    `open (the probe answered and proved it): ${list(result.open)}`,
    `intercepted (a connection was made, but something else answered or nothing did): ${list(result.intercepted)}`,
    `refused (reset or unreachable): ${list(result.refused)}`,
    `silent (no answer at all): ${count(result.silent)} port${result.silent === 1 ? "" : "s"}`,
    `checked again: every candidate, and ${count(result.silentSample.tested)} silent or refused ports${
      result.resweep ? `; ${result.silentSample.answered.length} of those answered, so every silent or refused port was tried again` : ", none of which answered"
    }`,
  ];
  if (result.open.length > 0) lines.push("", "For the stack file:", openPortsLine(result.open));
  return `${lines.join("\n")}\n`;
}

/** The same as data, for `--json`. */
export function scanReportJson(address: string, portSpec: string, result: ScanResult): Record<string, unknown> {
  return {
    probe: address,
    ports: portSpec,
    tested: result.tested,
    open: result.open,
    intercepted: result.intercepted,
    refused: result.refused,
    silent: result.silent,
    silentSample: result.silentSample,
    resweep: result.resweep,
    tries: result.tries,
    seconds: Math.round(result.seconds * 10) / 10,
    openPortsLine: result.open.length > 0 ? openPortsLine(result.open) : null,
  };
}
