import type { ProviderName } from "../catalog";

/** How long a new AWS node waits for its Elastic IP before it says so and carries on. */
export const addressWaitSeconds = 600;

export const instanceMetadataUrl = "http://169.254.169.254/latest/";
/** DigitalOcean's droplet metadata: plain GETs, no token. */
export const dropletMetadataUrl = "http://169.254.169.254/metadata/v1/";

/** How each cloud's metadata service tells the address, and what waits for it there. */
const addressSources: Record<ProviderName, { metadataUrl: string; lookup: string; waiting: string; ready: string; missing: string }> = {
  // IMDSv2: a token first, then the address.
  aws: {
    metadataUrl: instanceMetadataUrl,
    lookup: `def public_ipv4():
    put = u.Request(imds + "api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    token = u.urlopen(put, timeout=2).read().decode()
    get = u.Request(imds + "meta-data/public-ipv4", headers={"X-aws-ec2-metadata-token": token})
    return u.urlopen(get, timeout=2).read().decode().strip()`,
    waiting: "any download",
    ready: "downloads may start",
    missing: "the Elastic IP was not associated",
  },
  // reserved_ip/ipv4/active says "true" once a reserved IP is assigned; ip_address says which.
  digitalocean: {
    metadataUrl: dropletMetadataUrl,
    lookup: `def public_ipv4():
    ask = lambda what: u.urlopen(imds + "reserved_ip/ipv4/" + what, timeout=2).read().decode().strip()
    return ask("ip_address") if ask("active") == "true" else "no reserved IP"`,
    waiting: "the certificate's validation",
    ready: "the CA may validate it",
    missing: "the reserved IP was not assigned",
  },
};

/**
 * Polls the cloud's metadata service until the node's public IPv4 is the one its links carry.
 * Python, because cloud-init is written in it: every image that runs this document has python3,
 * while curl may not be installed yet. argv: wanted address, seconds to wait, and (tests only)
 * another metadata URL.
 */
export function waitScript(provider: ProviderName): string {
  const source = addressSources[provider];
  return `import sys, time, urllib.request as u
want, limit = sys.argv[1], float(sys.argv[2])
imds = sys.argv[3] if len(sys.argv) > 3 else "${source.metadataUrl}"
${source.lookup}
start, said = time.monotonic(), None
while True:
    try:
        now = public_ipv4()
    except Exception as e:
        now = "no public address" if getattr(e, "code", None) == 404 else "unreachable (%s)" % e
    if now == want:
        print("lifeline: public address is %s; ${source.ready}" % want, flush=True)
        sys.exit(0)
    if now != said:
        print("lifeline: waiting for public address %s before ${source.waiting}; the metadata service says %s" % (want, now), flush=True)
        said = now
    if time.monotonic() - start >= limit:
        sys.exit("lifeline: public address is still %s, not %s, after %d s: ${source.missing}, so links to %s do not reach this node. Run pulumi up again." % (now, want, limit, want))
    time.sleep(2)
`;
}

/** The command that waits for `address`; the address travels as an argument, never as code. */
export function waitForAddressCommand(address: string, seconds = addressWaitSeconds, metadataUrl?: string, provider: ProviderName = "aws"): string[] {
  return ["python3", "-c", waitScript(provider), address, String(seconds), ...(metadataUrl ? [metadataUrl] : [])];
}

/**
 * cloud-config keys that hold back the node's downloads until its public address is final.
 * On AWS the Elastic IP is associated only once the instance runs, and the address change
 * breaks connections open at that moment (apt, the mtg download). bootcmd runs in
 * cloud-init's first networked stage, before any package or file is fetched, on every boot.
 * DigitalOcean's downloads need not wait: assigning a reserved IP does not change a droplet's
 * own address. Only its https relay, validated at the reserved IP, waits (certificate-files.ts).
 */
export function addressWait(provider: ProviderName, address: string): { bootcmd?: string[][] } {
  return provider === "aws" ? { bootcmd: [waitForAddressCommand(address)] } : {};
}
