import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { internalIpv4, internalIpv6 } from "../abuse/internal-addresses";

/** Where `check` connects only when asked: the same internal ranges a relay may never reach, and the unspecified address. */
const internal = new BlockList();
for (const range of internalIpv4) internal.addSubnet(range.split("/")[0]!, Number(range.split("/")[1]), "ipv4");
for (const range of [...internalIpv6, "::/128"]) internal.addSubnet(range.split("/")[0]!, Number(range.split("/")[1]), "ipv6");

/** Loopback, private, link-local, CGNAT, multicast or reserved (IPv4-mapped IPv6 included). */
export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return internal.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** The error code a refused address carries, so the connection's failure can say why. */
export const internalAddressCode = "ELIFELINE_INTERNAL_ADDRESS";

function refused(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${host} is an internal address`), { code: internalAddressCode });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for net.connect that fails when a name resolves to an internal address: an
 * outputs file could name a host that points at this machine's own network. The connection
 * goes to the address checked here, so a second answer cannot differ.
 */
export function guardedLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    if (addresses.some((a) => isInternalAddress(a.address))) return callback(refused(hostname), "");
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

/** Why an address literal is refused, or undefined when it is a public one (or a name, left to the lookup). */
export function refusedLiteral(host: string): NodeJS.ErrnoException | undefined {
  return isInternalAddress(host) ? refused(host) : undefined;
}
