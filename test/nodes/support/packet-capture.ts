import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Capture {
  /** Stops tcpdump and returns every byte of every packet it saw (the pcap file). */
  stop(): Promise<Buffer>;
}

/**
 * Debian's tcpdump on a namespace's interface, whole packets, everything the censor's DPI would
 * see there for `filter` (a pcap filter such as `host 198.18.2.2 and port 4443`).
 */
export async function startCapture(ns: string, device: string, filter: string): Promise<Capture> {
  const dir = mkdtempSync(join(tmpdir(), "lifeline-capture-"));
  const file = join(dir, "capture.pcap");
  // --immediate-mode: each packet reaches tcpdump (and -U the file) as it arrives, not in kernel batches.
  const child = spawn("ip", ["netns", "exec", ns, "tcpdump", "--immediate-mode", "-i", device, "-s", "0", "-U", "-n", "-w", file, filter], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let said = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${said}`)), 20_000);
    child.stderr.on("data", (b: Buffer) => {
      said += b.toString();
      if (said.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`tcpdump exited (${code}): ${said} (apt-get install tcpdump)`)));
  });
  return {
    async stop() {
      // The last packets (the connection's close) are still on their way through the namespaces.
      await new Promise((r) => setTimeout(r, 1000));
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await exited;
      const bytes = readFileSync(file);
      rmSync(dir, { recursive: true, force: true });
      return bytes;
    },
  };
}
