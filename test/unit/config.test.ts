import { describe, expect, it } from "vitest";
import { formatIssues } from "../../src/config/issues";
import { baseFleet, exampleStacks, raisedQuotas, stackFleet } from "./support/fixtures";
import { issuesOf, planOf } from "./support/load";

type Fleet = Record<string, any>;

/** baseFleet with an https relay on 8443 (socks5 moves to 8080); 80 stays free for the certificate's validation. */
function withHttps(f: Fleet, options?: Record<string, unknown>): void {
  f.openPorts = [443, 80, 8443, 8080];
  f.relays[1].port = 8080;
  f.relays.push({ kind: "https", port: 8443, options: { publicInCtLogs: true, ...options } });
}

function httpsCases(): Array<[string, (f: Fleet) => void, string, RegExp]> {
  const directory = (url: unknown) => (f: Fleet) => withHttps(f, { acmeDirectory: url });
  return [
    ["ACME directory over plain http", directory("http://acme.example.org/directory"), "relays[2].options.acmeDirectory", /https URL of an ACME directory/],
    ["ACME directory with a command substitution", directory("https://acme.example.org/$(reboot)"), "relays[2].options.acmeDirectory", /no spaces, quotes, \$/],
    ["ACME directory with a quote (JSON)", directory('https://acme.example.org/d"ir'), "relays[2].options.acmeDirectory", /https URL/],
    ["ACME directory with a line break", directory("https://acme.example.org/dir\nExecStart=/bin/sh"), "relays[2].options.acmeDirectory", /https URL/],
    ["ACME directory with credentials", directory("https://user:pw@acme.example.org/dir"), "relays[2].options.acmeDirectory", /user:password@/],
    ["ACME directory with a query", directory("https://acme.example.org/dir?x=1"), "relays[2].options.acmeDirectory", /https URL/],
    ["ACME directory not text", directory(42), "relays[2].options.acmeDirectory", /https URL/],
    ["unknown https option", (f) => withHttps(f, { acmeEmail: "me@example.org" }), "relays[2].options", /unknown key "acmeEmail"/],
  ];
}

// Each case breaks one thing; the refusal must name that path and say what is wrong.
const badConfigs: Array<[string, (f: Fleet) => void, string, RegExp]> = [
  ["volunteer missing", (f) => delete f.volunteer, "volunteer", /required/],
  ["volunteer empty", (f) => (f.volunteer = "  "), "volunteer", /empty/],
  ["volunteer not text", (f) => (f.volunteer = 42), "volunteer", /name/],
  ["openPorts empty", (f) => (f.openPorts = []), "openPorts", /at least one/],
  ["open port out of range", (f) => (f.openPorts = [443, 70000]), "openPorts[1]", /1 and 65535/],
  ["open port not a number", (f) => (f.openPorts = [443, "http"]), "openPorts[1]", /port number/],
  ["open port listed twice", (f) => (f.openPorts = [443, 8443, 443]), "openPorts[2]", /twice/],
  ["unknown relay kind", (f) => (f.relays[1].kind = "wireguard"), "relays[1].kind", /kind must be one of: mtproto, socks5/],
  ["relay port missing", (f) => delete f.relays[0].port, "relays[0].port", /required/],
  ["relay port not open", (f) => (f.relays[1].port = 1080), "relays[1].port", /not in openPorts/],
  ["two relays on one port", (f) => (f.relays[1].port = 443), "relays[1].port", /already taken by relays\[0\]/],
  ["two relays of one kind", (f) => f.relays.push({ kind: "mtproto", port: 80 }), "relays[2].kind", /already declared/],
  ["relay on 22 with SSH on", (f) => {
    f.openPorts.push(22);
    f.relays[1].port = 22;
    f.ssh = { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop"] };
  }, "relays[1].port", /SSH/],
  ["bad fronting host", (f) => (f.relays[0].options = { frontingHost: "not a host" }), "relays[0].options.frontingHost", /host name/],
  ["mtg release checksum malformed", (f) => (f.relays[0].options = { release: { version: "2.2.9", sha256: { amd64: "xyz", arm64: "a".repeat(64) } } }), "relays[0].options.release.sha256.amd64", /sha256/],
  ["unknown relay option", (f) => (f.relays[0].options = { secret: "ee00" }), "relays[0].options", /unknown key "secret"/],
  ["no groups", (f) => (f.groups = []), "groups", /at least one/],
  ["unknown provider", (f) => (f.groups[0].provider = "hetzner"), "groups[0].provider", /digitalocean, aws/],
  ["region of another provider", (f) => (f.groups[0].regions = ["eu-central-1"]), "groups[0].regions[0]", /not a DigitalOcean region/],
  ["region listed twice", (f) => (f.groups[0].regions = ["fra1", "fra1"]), "groups[0].regions[1]", /twice/],
  ["region in two groups", (f) => f.groups.push({ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 }), "groups[1].regions[0]", /already in groups\[0\]/],
  ["size of another provider", (f) => (f.groups[0].size = "t4g.nano"), "groups[0].size", /not a DigitalOcean size/],
  ["arch against the size", (f) => (f.groups[0] = { provider: "aws", regions: ["eu-central-1"], nodesPerRegion: 1, size: "t4g.micro", arch: "amd64" }), "groups[0].arch", /arm64, not amd64/],
  ["negative count", (f) => (f.groups[0].nodesPerRegion = -1), "groups[0].nodesPerRegion", /.+/],
  ["fractional count", (f) => (f.groups[0].nodesPerRegion = 1.5), "groups[0].nodesPerRegion", /integer|whole/],
  ["over 50 nodes", (f) => {
    f.budgetPerDay = 1000;
    f.groups[0] = { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 26 };
  }, "groups", /52 nodes exceed the limit of 50; set maxNodes: 52/],
  ["over budget", (f) => {
    f.budgetPerDay = 0.5;
    f.groups[0].nodesPerRegion = 3;
  }, "budgetPerDay", /over the budget of \$0.5\/day/],
  ["over budget by traffic alone", (f) => {
    // One s-1vcpu-1gb: 6 / 672 x 24 = $0.21/day for the VM, within $5; 600 GB a day is 558.79 GiB,
    // minus its pool of 1000 GiB / 30 = 33.33 GiB a day, x $0.01 = $5.25: $5.47/day in all.
    f.trafficGbPerNodeDay = 600;
  }, "budgetPerDay", /about \$5\.47\/day \(\$0\.21 for the VMs and addresses, \$5\.25 for traffic at 600 GB per node a day\), over the budget of \$5\/day/],
  ["budget zero", (f) => (f.budgetPerDay = 0), "budgetPerDay", /above 0/],
  ["rotation of a node the stack does not have", (f) => (f.rotations = { "do-fra1-7": 1 }), "rotations.do-fra1-7", /no node of this stack is called "do-fra1-7"; nodes: do-fra1-0/],
  ["rotation generation 0", (f) => (f.rotations = { "do-fra1-0": 0 }), "rotations.do-fra1-0", /at least 1/],
  ["traffic negative", (f) => (f.trafficGbPerNodeDay = -1), "trafficGbPerNodeDay", /0 or more/],
  ["expiry not a date", (f) => (f.expires = "next week"), "expires", /YYYY-MM-DD/],
  ["expiry in the past", (f) => (f.expires = "2026-11-01"), "expires", /not after today/],
  ["SSH on without keys", (f) => (f.ssh = { enabled: true }), "ssh.publicKeys", /no public key/],
  ["SSH key malformed", (f) => (f.ssh = { enabled: true, publicKeys: ["my laptop key"] }), "ssh.publicKeys[0]", /OpenSSH public key/],
  ["allowed port also blocked", (f) => (f.abuse = { allowedPorts: [80, 443, 6900] }), "abuse.allowedPorts[2]", /also in abuse.blockedPorts/],
  ["blocked range reversed", (f) => (f.abuse = { blockedPorts: ["6999-6881"] }), "abuse.blockedPorts[0]", /inclusive range/],
  ["connection cap zero", (f) => (f.abuse = { maxConnectionsPerClient: 0 }), "abuse.maxConnectionsPerClient", /at least 1/],
  ["misspelt top-level key", (f) => (f.budgetPerDya = 3), "", /unknown key "budgetPerDya"/],
  ["maxNodes above the ceiling", (f) => (f.maxNodes = 100000), "maxNodes", /.+/],
  ["artifact mirror not a URL", (f) => (f.artifactMirror = "mirror.local"), "artifactMirror", /URL/],
  // Values that reach a root shell step, a unit, mtg's TOML or a cloud tag (issue: a mirror
  // URL once ran `$(...)` as root on every node).
  ["artifact mirror with a command substitution", (f) => (f.artifactMirror = "https://m/x$(touch${IFS}/tmp/pwned);#"), "artifactMirror", /plain http\(s\) URL of a folder/],
  ["artifact mirror with backquotes", (f) => (f.artifactMirror = "https://m.example.org/`id`"), "artifactMirror", /no spaces, quotes, \$/],
  ["artifact mirror with a quote", (f) => (f.artifactMirror = "https://m.example.org/a'b"), "artifactMirror", /plain http\(s\) URL/],
  ["artifact mirror with a space", (f) => (f.artifactMirror = "https://m.example.org/a b"), "artifactMirror", /plain http\(s\) URL/],
  ["artifact mirror with a query", (f) => (f.artifactMirror = "https://m.example.org/mtg?x=1&y=2"), "artifactMirror", /plain http\(s\) URL/],
  ["artifact mirror with credentials", (f) => (f.artifactMirror = "https://user:pw@m.example.org/mtg"), "artifactMirror", /user:password@/],
  ["artifact mirror with a line break", (f) => (f.artifactMirror = "https://m.example.org/mtg\nrm -rf /"), "artifactMirror", /plain http\(s\) URL/],
  ["artifact mirror over ftp", (f) => (f.artifactMirror = "ftp://m.example.org/mtg"), "artifactMirror", /http\(s\)/],
  ["mtg release version with a shell command", (f) => (f.relays[0].options = { release: { version: "2.2.8;reboot", sha256: { amd64: "a".repeat(64), arm64: "a".repeat(64) } } }), "relays[0].options.release.version", /version such as 2.2.8/],
  ["mtg release version with a path", (f) => (f.relays[0].options = { release: { version: "../../etc", sha256: { amd64: "a".repeat(64), arm64: "a".repeat(64) } } }), "relays[0].options.release.version", /version/],
  ["fronting host with a quote (TOML)", (f) => (f.relays[0].options = { frontingHost: 'a".example.com' }), "relays[0].options.frontingHost", /host name/],
  ["DNS-over-HTTPS resolver not an address (TOML)", (f) => (f.relays[0].options = { dnsOverHttpsIp: '9.9.9.9"\ndebug = true' }), "relays[0].options.dnsOverHttpsIp", /IPv4 address/],
  ["volunteer with a shell command (tags)", (f) => (f.volunteer = "Ann $(reboot)"), "volunteer", /letters \(any alphabet\), digits, spaces/],
  ["volunteer with quotes (tags)", (f) => (f.volunteer = 'Ann "the organizer"'), "volunteer", /_ \. : \/ = \+ - @ only/],
  ["volunteer with a line break (tags)", (f) => (f.volunteer = "Ann\nBob"), "volunteer", /as cloud tags allow/],
  ["volunteer with AWS's reserved prefix", (f) => (f.volunteer = "aws:admin"), "volunteer", /reserves/],
  ["bandwidth cap not a whole number (tc command)", (f) => (f.abuse = { bandwidthMbit: 0.5 }), "abuse.bandwidthMbit", /whole number/],
  ["bandwidth cap in exponent form (tc command)", (f) => (f.abuse = { bandwidthMbit: 1e-7 }), "abuse.bandwidthMbit", /whole number/],
  // The https relay: its ACME directory lands in a JSON file and the plan; its certificate needs 80 or 443 free.
  ...httpsCases(),
  ["SSH key comment with a line break", (f) => (f.ssh = { enabled: true, publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h me\nssh-ed25519 AAAAC3Nza attacker"] }), "ssh.publicKeys[0]", /OpenSSH public key/],
];

describe("fleet config validation", () => {
  it.each(exampleStacks)("accepts the example stack %s", (stack) => {
    expect(planOf(stackFleet(stack)).nodes.length).toBeGreaterThan(0);
  });

  it("has at least 20 distinct bad configs under test", () => {
    expect(new Set(badConfigs.map(([name]) => name)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(badConfigs)("refuses %s", (_name, breakIt, path, message) => {
    const fleet = baseFleet();
    breakIt(fleet);
    const issues = issuesOf(fleet);
    const atPath = issues.filter((i) => i.path === path);
    expect(atPath.length, JSON.stringify(issues)).toBeGreaterThan(0);
    expect(atPath.some((i) => message.test(i.message)), JSON.stringify(atPath)).toBe(true);
    expect(atPath.every((i) => i.example !== undefined && i.example.length > 0)).toBe(true);
  });

  it("accepts names in any alphabet and plain mirror URLs with a port and a path", () => {
    const fleet = baseFleet();
    fleet.volunteer = "Айгерим Сәрсенбайқызы @ Алматы";
    fleet.artifactMirror = "http://198.18.3.2:8080/mirrors/mtg_releases-v2/";
    expect(planOf(fleet).volunteer).toBe("Айгерим Сәрсенбайқызы @ Алматы");
  });

  it("accepts an https relay with Let's Encrypt by default, its staging directory, or a test CA with a port", () => {
    const fleet = baseFleet();
    withHttps(fleet);
    expect(planOf(fleet).nodes[0]!.relays[2]!.options["acmeDirectory"]).toBe("https://acme-v02.api.letsencrypt.org/directory");
    for (const url of ["https://acme-staging-v02.api.letsencrypt.org/directory", "https://198.18.3.5:14000/dir"]) {
      const other = baseFleet();
      withHttps(other, { acmeDirectory: url });
      expect(planOf(other).nodes[0]!.relays[2]!.options["acmeDirectory"]).toBe(url);
    }
  });

  it("reports every shape problem at once, not only the first", () => {
    const fleet = baseFleet();
    fleet.volunteer = "";
    fleet.openPorts = [0];
    fleet.groups[0].regions = ["mars1"];
    fleet.expires = "soon";
    expect(issuesOf(fleet).map((i) => i.path).sort()).toEqual(["expires", "groups[0].regions[0]", "openPorts[0]", "volunteer"]);
  });

  it("reports shape and cross-field problems together in one run", () => {
    const fleet = baseFleet();
    fleet.volunteer = "";
    fleet.relays[1].port = 1080;
    fleet.groups[0].regions = ["fra1", "mars1"];
    fleet.expires = "2026-01-01";
    expect(issuesOf(fleet).map((i) => i.path).sort()).toEqual(["expires", "groups[0].regions[1]", "relays[1].port", "volunteer"]);
  });

  it("reports every cross-field problem at once", () => {
    const fleet = baseFleet();
    fleet.relays[1].port = 1080;
    fleet.expires = "2026-01-01";
    fleet.budgetPerDay = 0.01;
    expect(issuesOf(fleet).map((i) => i.path).sort()).toEqual(["budgetPerDay", "expires", "relays[1].port"]);
  });

  it("formats issues for people: source, full path, message and an example", () => {
    const fleet = baseFleet();
    fleet.groups[0].regions = ["fra9"];
    const text = formatIssues("stacks/Pulumi.x.yaml", issuesOf(fleet));
    expect(text).toBe(
      [
        "stacks/Pulumi.x.yaml: 1 problem in the fleet config, nothing was created:",
        `  - lifeline:fleet.groups[0].regions[0]: "fra9" is not a DigitalOcean region; use one of: ams3, atl1, blr1, fra1, lon1, nyc1, nyc2, nyc3, sfo2, sfo3, sgp1, syd1, tor1`,
        "      e.g. regions: [fra1, ams3]   (aws: [eu-central-1, eu-north-1])",
      ].join("\n"),
    );
  });

  it("accepts an expiry date that YAML turned into a midnight timestamp", () => {
    const fleet = baseFleet();
    fleet.expires = "2027-01-31T00:00:00Z";
    expect(planOf(fleet).expires).toBe("2027-01-31");
  });

  it("fills relay options with the kind's defaults when options are left out", () => {
    const plan = planOf(baseFleet());
    expect(plan.nodes[0]!.relays[0]!.options).toEqual({ frontingHost: "www.cloudflare.com", maxConnections: 8192, dnsOverHttpsIp: "9.9.9.9" });
  });

  it("allows more than 50 nodes only when maxNodes says so", () => {
    const fleet = baseFleet();
    fleet.budgetPerDay = 1000;
    fleet.maxNodes = 60;
    fleet.quotas = raisedQuotas();
    fleet.groups[0] = { provider: "digitalocean", regions: ["fra1", "ams3"], nodesPerRegion: 30 };
    expect(planOf(fleet).nodes).toHaveLength(60);
  });
});
