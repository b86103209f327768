/**
 * A stand-in for EC2's instance metadata service, IMDSv2 only, serving the one value a node
 * asks for: its public IPv4; and for DigitalOcean's droplet metadata, whose reserved IP the https
 * relay waits for (reserved_ip/ipv4/active and ip_address, no token). Run inside the test's internet namespace, which holds the
 * link-local 169.254.169.254: `ip netns exec <ns> node tsx/cli imds-server.ts <address|none>`.
 * Prints READY, then `ANSWER <ms> <status> <body>` per address request and `SET <ms> <address>`
 * per change; reads `public-ipv4 <address|none>` lines on stdin (an Elastic IP associated later).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createInterface } from "node:readline";

const [initial = "none"] = process.argv.slice(2);
let publicIpv4: string | null = initial === "none" ? null : initial;
const tokens = new Set<string>();
const say = (line: string) => process.stdout.write(`${line}\n`);

const server = createServer((req, res) => {
  if (req.method === "PUT" && req.url === "/latest/api/token") {
    const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
    if (!(ttl >= 1 && ttl <= 21600)) return res.writeHead(400).end();
    const token = randomBytes(16).toString("base64url");
    tokens.add(token);
    return res.end(token);
  }
  if (req.method === "GET" && req.url === "/metadata/v1/reserved_ip/ipv4/active") {
    say(`ANSWER ${Date.now()} 200 ${publicIpv4 ?? "-"}`);
    return res.end(publicIpv4 ? "true" : "false");
  }
  if (req.method === "GET" && req.url === "/metadata/v1/reserved_ip/ipv4/ip_address") {
    return publicIpv4 ? res.end(publicIpv4) : res.writeHead(404).end();
  }
  // IMDSv2 is required on lifeline's instances: no token, no answer.
  if (!tokens.has(String(req.headers["x-aws-ec2-metadata-token"]))) return res.writeHead(401).end();
  if (req.method === "GET" && req.url === "/latest/meta-data/public-ipv4") {
    say(`ANSWER ${Date.now()} ${publicIpv4 ? 200 : 404} ${publicIpv4 ?? "-"}`);
    return publicIpv4 ? res.end(publicIpv4) : res.writeHead(404).end();
  }
  res.writeHead(404).end();
});

createInterface({ input: process.stdin }).on("line", (line) => {
  const [key, value] = line.trim().split(/\s+/);
  if (key !== "public-ipv4" || !value) return;
  publicIpv4 = value === "none" ? null : value;
  say(`SET ${Date.now()} ${publicIpv4 ?? "-"}`);
});

server.listen(80, "169.254.169.254", () => say("READY"));
