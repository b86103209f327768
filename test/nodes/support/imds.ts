import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { startNetnsScript } from "../harness/netns-script";
import { runOk } from "../harness/run-command";

/** EC2's metadata address: link-local, so it exists only inside the test's own namespaces. */
export const metadataAddress = "169.254.169.254";

export interface ImdsAnswer {
  atMs: number;
  status: number;
  /** The address served, or null for "no public address" (404). */
  publicIpv4: string | null;
}

export interface ImdsStandin {
  /** Every public-ipv4 answer so far, oldest first. */
  answers(): ImdsAnswer[];
  /** Changes what public-ipv4 says (an Elastic IP being associated); resolves with the time it took effect. */
  setPublicIpv4(address: string | null): Promise<number>;
  stop(): void;
}

/**
 * Serves IMDSv2 on 169.254.169.254 from the internet namespace, which the node reaches on its
 * internet-side link (the harness routes that one address there, as a cloud's NIC would).
 */
export async function startImds(network: BlackoutNetwork, publicIpv4: string | null): Promise<ImdsStandin> {
  const ns = network.plan.ns.internet;
  await runOk("ip", ["-n", ns, "addr", "add", `${metadataAddress}/32`, "dev", network.plan.links.internetInInternet]);
  const script = join(__dirname, "imds-server.ts");
  const { child } = await startNetnsScript(ns, script, [publicIpv4 ?? "none"], "instance metadata stand-in", 30_000);
  const answers: ImdsAnswer[] = [];
  const waiting: Array<(atMs: number) => void> = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const [kind, at, ...rest] = line.split(" ");
      if (kind === "ANSWER") answers.push({ atMs: Number(at), status: Number(rest[0]), publicIpv4: rest[1] === "-" ? null : rest[1]! });
      if (kind === "SET") waiting.shift()?.(Number(at));
    }
  });
  return {
    answers: () => [...answers],
    setPublicIpv4: (address) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin!.write(`public-ipv4 ${address ?? "none"}\n`);
      }),
    stop: () => child.kill("SIGKILL"),
  };
}
