import { lookup } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { isIPv4 } from "node:net";

/**
 * The host's first IPv4 resolver: the one outside address (besides the Debian archive) a node
 * may reach. A loopback resolver (e.g. systemd-resolved's 127.0.0.53) cannot be reached from
 * another namespace, so that is an error with a clear message rather than silent apt failures.
 */
export async function hostResolver(): Promise<string> {
  const text = await readFile("/etc/resolv.conf", "utf8");
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key === "nameserver" && value !== undefined && isIPv4(value)) {
      if (value.startsWith("127.")) throw new Error(`host resolver ${value} is loopback: nodes cannot use it for apt`);
      return value;
    }
  }
  throw new Error("no IPv4 nameserver in /etc/resolv.conf");
}

/** IPv4 addresses the host resolves deb.debian.org to: the only archive hosts a node may reach. */
export async function debianArchiveAddresses(): Promise<string[]> {
  const found = await lookup("deb.debian.org", { all: true, family: 4 });
  const addrs = [...new Set(found.map((a) => a.address))];
  if (addrs.length === 0) throw new Error("deb.debian.org did not resolve to any IPv4 address");
  return addrs;
}
