// The browser scanner's page logic: reads the form, runs browserScan with the browser's own
// fetch, shows progress and the result. Bundled into dist/lifeline-scan.html by `npm run build`.
import { probeTokenPattern } from "../../probe/protocol";
import { formatPorts, parsePortSpec } from "../port-spec";
import { openPortsLine } from "../scan-report";
import { browserScan, type BrowserScanResult } from "./browser-scan";
import { connectGiveUpMs } from "./socket-slots";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function fail(message: string): void {
  byId("status").textContent = message;
}

function showResult(result: BrowserScanResult): void {
  const lines = [
    `open: ${result.open.length > 0 ? formatPorts(result.open) : "none"}`,
    `answered, but not the probe: ${result.answeredWrong.length > 0 ? formatPorts(result.answeredWrong) : "none"}`,
    `failed at once (reset, or an answer a browser may not read): ${result.failed.length}`,
    `no answer: ${result.timedOut.length}`,
    `not tested (browsers refuse these ports): ${result.skipped.length}`,
    ...(result.open.length > 0 ? ["", openPortsLine(result.open)] : []),
  ];
  byId("result").textContent = lines.join("\n");
  (window as unknown as { scanResult: BrowserScanResult }).scanResult = result;
}

async function start(): Promise<void> {
  const address = byId<HTMLInputElement>("address").value.trim().replace(/^\[(.*)\]$/, "$1");
  const token = byId<HTMLInputElement>("token").value.trim();
  if (!/^[0-9.]+$|:/.test(address)) return fail("Give the probe's IP address.");
  if (!probeTokenPattern.test(token)) return fail("The token is 24 letters and digits: copy it again.");
  let ports: number[];
  try {
    ports = parsePortSpec(byId<HTMLInputElement>("ports").value);
  } catch (error) {
    return fail(`Ports: ${(error as Error).message}`);
  }
  if (location.protocol === "https:") return fail("Open this file from your device (file://) or over http://: a page loaded over https may not fetch http:// addresses.");
  const button = byId<HTMLButtonElement>("start");
  button.disabled = true;
  const bar = byId<HTMLProgressElement>("progress");
  const started = Date.now();
  const result = await browserScan({
    address,
    token,
    ports,
    slots: Math.min(256, Number(byId<HTMLInputElement>("slots").value) || 240),
    lingerMs: connectGiveUpMs,
    timeoutMs: Number(byId<HTMLInputElement>("timeout").value) || 3000,
    fetch: (url, init) => fetch(url, init),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    onProgress: (done, total, open) => {
      bar.max = total;
      bar.value = done;
      const seconds = (Date.now() - started) / 1000;
      // Silent ports hold a connection for minutes after their timeout, so a long range is slow.
      const left = done > 0 ? Math.round(((total - done) * seconds) / done / 60) : undefined;
      byId("status").textContent = `${done} of ${total} ports, ${open} open, ${Math.round(seconds)} s${left !== undefined ? `, about ${left} min left` : ""}`;
    },
  });
  showResult(result);
  byId("status").textContent = `Done in ${Math.round((Date.now() - started) / 1000)} s.`;
  button.disabled = false;
}

byId<HTMLFormElement>("scan").addEventListener("submit", (event) => {
  event.preventDefault();
  void start();
});
