import type { BlackoutNetwork } from "../harness";

/**
 * curl from the client through a proxy URL (socks5h://, http:// or https://) to the internet
 * host's page; `proxyCaFile` is the root an https:// proxy's certificate is checked against.
 */
export function curlThroughProxy(network: BlackoutNetwork, proxyUrl: string, proxyCaFile?: string) {
  return network.execIn("client", "curl", [
    "--silent", "--show-error", "--max-time", "15", ...(proxyCaFile ? ["--proxy-cacert", proxyCaFile] : []), "--proxy", proxyUrl, `http://${network.internet.ip}/`,
  ]);
}

/** Opens a TCP connection from the client and returns what the server says first. */
export function tcpGreeting(network: BlackoutNetwork, host: string, port: number) {
  return network.execIn("client", "curl", ["--silent", "--max-time", "5", `telnet://${host}:${port}`], { input: "" });
}

/** Ports nmap finds open from the client with a full TCP connect scan of 1-65535. */
export async function openPortsFromClient(network: BlackoutNetwork): Promise<number[]> {
  const r = await network.execIn(
    "client",
    "nmap",
    ["-sT", "-Pn", "-n", "-p", "1-65535", "-T4", "--min-rate", "4000", "--max-retries", "1", "-oG", "-", network.nodeIp],
    { timeoutMs: 600_000 },
  );
  if (r.code !== 0) throw new Error(`nmap failed: ${r.stderr}`);
  const ports = /Ports: (.*?)(\t|$)/m.exec(r.stdout)?.[1] ?? "";
  return ports
    .split(",")
    .map((p) => p.trim().split("/"))
    .filter((f) => f[1] === "open")
    .map((f) => Number(f[0]))
    .sort((a, b) => a - b);
}
