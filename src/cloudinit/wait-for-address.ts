import type { ProviderName } from "../catalog";

/** How long a new AWS node waits for its Elastic IP before it says so and carries on. */
export const addressWaitSeconds = 600;

export const instanceMetadataUrl = "http://169.254.169.254/latest/";

/**
 * Polls the instance metadata service (IMDSv2: a token first, then the address) until the
 * node's public IPv4 is the one its links carry. Python, because cloud-init is written in it:
 * every image that runs this document has python3, while curl may not be installed yet.
 * argv: wanted address, seconds to wait, and (tests only) another metadata URL.
 */
const waitScript = `import sys, time, urllib.request as u
want, limit = sys.argv[1], float(sys.argv[2])
imds = sys.argv[3] if len(sys.argv) > 3 else "${instanceMetadataUrl}"
def public_ipv4():
    put = u.Request(imds + "api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    token = u.urlopen(put, timeout=2).read().decode()
    get = u.Request(imds + "meta-data/public-ipv4", headers={"X-aws-ec2-metadata-token": token})
    return u.urlopen(get, timeout=2).read().decode().strip()
start, said = time.monotonic(), None
while True:
    try:
        now = public_ipv4()
    except Exception as e:
        now = "no public address" if getattr(e, "code", None) == 404 else "unreachable (%s)" % e
    if now == want:
        print("lifeline: public address is %s; downloads may start" % want, flush=True)
        sys.exit(0)
    if now != said:
        print("lifeline: waiting for public address %s before any download; the metadata service says %s" % (want, now), flush=True)
        said = now
    if time.monotonic() - start >= limit:
        sys.exit("lifeline: public address is still %s, not %s, after %d s: the Elastic IP was not associated, so links to %s do not reach this node. Run pulumi up again." % (now, want, limit, want))
    time.sleep(2)
`;

/** The command that waits for `address`; the address travels as an argument, never as code. */
export function waitForAddressCommand(address: string, seconds = addressWaitSeconds, metadataUrl?: string): string[] {
  return ["python3", "-c", waitScript, address, String(seconds), ...(metadataUrl ? [metadataUrl] : [])];
}

/**
 * cloud-config keys that hold back the node's downloads until its public address is final.
 * On AWS the Elastic IP is associated only once the instance runs, and the address change
 * breaks connections open at that moment (apt, the mtg download). bootcmd runs in
 * cloud-init's first networked stage, before any package or file is fetched, on every boot.
 * DigitalOcean needs nothing: assigning a reserved IP does not change a droplet's own address.
 */
export function addressWait(provider: ProviderName, address: string): { bootcmd?: string[][] } {
  return provider === "aws" ? { bootcmd: [waitForAddressCommand(address)] } : {};
}
