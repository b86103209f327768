import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

const tsxCli = createRequire(__filename).resolve("tsx/cli");

export interface NetnsScript {
  child: ChildProcess;
  /** The first line the script printed: READY, or a JSON result. */
  firstLine: string;
}

/**
 * Runs a TypeScript file with tsx inside a network namespace and waits for its first line of
 * output, which every such helper prints once it is listening or has a result.
 */
export function startNetnsScript(ns: string, script: string, args: readonly string[], what: string, timeoutMs = 60_000): Promise<NetnsScript> {
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, tsxCli, script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${what} gave no first line within ${timeoutMs} ms:\n${out}${err}`)), timeoutMs);
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const end = out.indexOf("\n");
      if (end === -1) return;
      clearTimeout(timer);
      resolve({ child, firstLine: out.slice(0, end) });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}${err}`));
    });
  });
}
