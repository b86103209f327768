import { join } from "node:path";
import { createInterface } from "node:readline";
import { startNetnsScript } from "../harness/netns-script";
import { endLoad } from "../load/load-runner";
import type { Target, Via } from "../load/tunnel";

export interface HeldTunnel {
  /** The status line of the GET made as the tunnel opened. */
  first: string;
  /** One more GET over the same connection: its status line, or how the connection ended. */
  request(): Promise<string>;
  /** Asks once a second until the returned function is called, which gives every status seen. */
  askEverySecond(): () => Promise<string[]>;
  close(): Promise<void>;
}

/**
 * One tunnel through a relay, opened from the client's namespace and kept (held-tunnel.ts):
 * used before, during and after a change on the node to show the change does not cut it. Its
 * target closes a connection idle for 5 s (Node's keep-alive), so callers ask at least that often.
 */
export async function holdTunnel(ns: string, via: Via, target: Target): Promise<HeldTunnel> {
  const script = await startNetnsScript(ns, join(__dirname, "held-tunnel.ts"), [JSON.stringify(via), JSON.stringify(target)], "held tunnel");
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: script.child.stdout! }).on("line", (line) => waiting.shift()?.(line));
  const status = (line: string) => (JSON.parse(line) as { status: string }).status;
  const request = () =>
    new Promise<string>((resolve) => {
      waiting.push((line) => resolve(status(line)));
      script.child.stdin!.write("again\n");
    });
  return {
    first: status(script.firstLine),
    request,
    askEverySecond() {
      let asking = true;
      const seen: string[] = [];
      const loop = (async () => {
        while (asking) {
          seen.push(await request());
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();
      return async () => {
        asking = false;
        await loop;
        return seen;
      };
    },
    close: () => endLoad(script.child),
  };
}
