/**
 * A valid example for each place in the fleet config, shown beside an error there.
 * Keys are paths with list indices written as `[]`.
 */
const examples: Readonly<Record<string, string>> = {
  "": "see stacks/Pulumi.example-do.yaml for a whole, valid fleet",
  volunteer: 'volunteer: "Aigerim from Almaty"   (letters, digits, spaces and _ . : / = + - @)',
  openPorts: "openPorts: [443, 80, 8443]",
  "openPorts[]": "openPorts: [443, 80, 8443]",
  relays: "relays:\n  - { kind: mtproto, port: 443 }\n  - { kind: socks5, port: 8443 }",
  "relays[]": "- { kind: mtproto, port: 443 }",
  "relays[].kind": "kind: mtproto",
  "relays[].port": "port: 443   (one of openPorts)",
  "relays[].options": "options: { frontingHost: www.cloudflare.com }",
  "relays[].options.frontingHost": "frontingHost: www.cloudflare.com",
  "relays[].options.maxConnections": "maxConnections: 8192",
  "relays[].options.acmeDirectory": "acmeDirectory: https://acme-staging-v02.api.letsencrypt.org/directory   (Let's Encrypt staging, for a first run)",
  "relays[].options.target": "target: { host: www.example.com, port: 443 }   (vless: a real HTTPS site with TLS 1.3 and HTTP/2, near the node)",
  "relays[].options.target.host": "host: www.example.com",
  "relays[].options.serverNames": "serverNames: [www.example.com]   (names the target's certificate is for)",
  "relays[].options.release": "release: { version: 2.2.9, sha256: { amd64: <64 hex>, arm64: <64 hex> } }",
  groups: "groups:\n  - { provider: digitalocean, regions: [fra1, ams3], nodesPerRegion: 2 }",
  "groups[]": "- { provider: aws, regions: [eu-central-1], nodesPerRegion: 1, size: t4g.micro }",
  "groups[].provider": "provider: digitalocean   (or aws)",
  "groups[].regions": "regions: [fra1, ams3]",
  "groups[].regions[]": "regions: [fra1, ams3]   (aws: [eu-central-1, eu-north-1])",
  "groups[].nodesPerRegion": "nodesPerRegion: 2",
  "groups[].size": "size: s-1vcpu-1gb   (aws: t4g.micro)",
  "groups[].arch": "arch: arm64   (or leave it out: it follows the size)",
  probe: "probe: { provider: digitalocean, region: fra1 }   (a node that answers on every port, for lifeline scan)",
  "probe.provider": "provider: digitalocean   (or aws)",
  "probe.region": "region: fra1   (aws: eu-central-1)",
  "probe.size": "size: s-1vcpu-512mb-10gb   (aws: t4g.nano)",
  budgetPerDay: "budgetPerDay: 5   (US dollars a day)",
  trafficGbPerNodeDay: "trafficGbPerNodeDay: 10   (GB each node sends out a day; prices traffic)",
  expires: "expires: 2027-01-31",
  rotations: "rotations: { do-fra1-0: 1 }   (node name: generation; raise it to rotate the node again)",
  ssh: "ssh: { enabled: false }",
  "ssh.enabled": "enabled: false",
  "ssh.publicKeys": "publicKeys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... you@laptop\"]",
  "ssh.publicKeys[]": "- ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... you@laptop",
  abuse: "abuse: { maxConnectionsPerClient: 2000, bandwidthMbit: 200 }",
  "abuse.allowedPorts": "allowedPorts: [80, 443]",
  "abuse.allowedPorts[]": "allowedPorts: [80, 443]",
  "abuse.blockedPorts": 'blockedPorts: [25, 465, 587, "6881-6999", 3333]',
  "abuse.blockedPorts[]": 'blockedPorts: [25, "6881-6999"]',
  "abuse.maxConnectionsPerClient": "maxConnectionsPerClient: 2000",
  "abuse.bandwidthMbit": "bandwidthMbit: 200",
  maxNodes: "maxNodes: 80   (only to allow more than 50 nodes)",
  image: "image: debian-12",
  artifactMirror: "artifactMirror: https://mirror.example.org/mtg",
  quotas: "quotas: { digitalocean: { reservedIps: 10, droplets: 10 } }   (limits your account has now)",
  "quotas.digitalocean": "digitalocean: { reservedIps: 10, droplets: 10 }",
  "quotas.digitalocean.reservedIps": "reservedIps: 10   (the limit DigitalOcean raised your account to)",
  "quotas.digitalocean.droplets": "droplets: 10   (your account's Droplet limit, under Settings > Team)",
  "quotas.aws": "aws: { elasticIpsPerRegion: 10, vcpusPerRegion: 32, optInRegions: [me-central-1] }",
  "quotas.aws.elasticIpsPerRegion": "elasticIpsPerRegion: 10   (or per region: { eu-central-1: 10 })",
  "quotas.aws.vcpusPerRegion": "vcpusPerRegion: 32   (or per region: { eu-central-1: 32 })",
  "quotas.aws.optInRegions": "optInRegions: [me-central-1]   (opt-in regions you enabled in the account)",
  "quotas.aws.optInRegions[]": "optInRegions: [me-central-1]   (opt-in regions you enabled in the account)",
};

/** The example for a path such as `groups[2].regions[0]`, or the nearest enclosing one. */
export function exampleFor(path: string): string | undefined {
  let key = path.replace(/\[\d+\]/g, "[]");
  for (;;) {
    const found = examples[key];
    if (found !== undefined) return found;
    const cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
    if (cut <= 0) return examples[""];
    key = key.slice(0, cut);
  }
}
