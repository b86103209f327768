import type { NodeHandle } from "../harness";

/** A node port the kernel forwards (DNAT) to a target in the test internet. */
export interface ForwardedPort {
  port: number;
  to: { host: string; port: number };
}

/**
 * The ceiling of the path: the same client, node and target, with the node's kernel forwarding
 * (DNAT) in place of a relay. The node's firewall drops forwarded traffic; the benchmark admits
 * exactly these flows for as long as it runs.
 */
export async function forwardInKernel(node: NodeHandle, ports: readonly ForwardedPort[]): Promise<void> {
  const rules = ports.map((p) => `    tcp dport ${p.port} dnat to ${p.to.host}:${p.to.port}`).join("\n");
  const ruleset = `table ip bench_ceiling {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
${rules}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ct status dnat masquerade
  }
}
`;
  const run = async (cmd: string, args: string[], input?: string) => {
    const r = await node.exec(cmd, args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  };
  await run("nft", ["-f", "-"], ruleset);
  await run("nft", ["insert", "rule", "inet", "lifeline", "forward", "ct", "status", "dnat", "accept"]);
  await run("sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
}
