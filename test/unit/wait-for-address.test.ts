import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { encodeUserData, userDataLimits } from "../../src/cloudinit/encode";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { addressWaitSeconds, waitForAddressCommand, waitScript } from "../../src/cloudinit/wait-for-address";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { planOf } from "./support/load";

const eip = "198.51.100.7";

function nodeOn(provider: "aws" | "digitalocean") {
  const fleet = baseFleet();
  fleet.groups = [provider === "aws" ? { provider, regions: ["eu-north-1"], nodesPerRegion: 1 } : { provider, regions: ["fra1"], nodesPerRegion: 1 }];
  return planOf(fleet).nodes[0]!;
}

describe("an AWS node's cloud-config", () => {
  const document = renderCloudConfig({ node: nodeOn("aws"), address: eip, secrets: fixedSecrets });

  it("waits for its Elastic IP in bootcmd, before any module that downloads", () => {
    const bootcmd = parse(document).bootcmd;
    expect(bootcmd).toEqual([waitForAddressCommand(eip)]);
    expect(bootcmd[0].slice(0, 2)).toEqual(["python3", "-c"]);
    expect(bootcmd[0].slice(3)).toEqual([eip, String(addressWaitSeconds)]);
  });

  it("stays valid for cloud-init and within AWS's 16 KB", () => {
    expect(cloudInitSchema(document).valid).toBe(true);
    expect(encodeUserData("aws", "n", document).bytes).toBeLessThanOrEqual(userDataLimits.aws.maxBytes);
  });

  it("is the only kind that waits: a DigitalOcean reserved IP does not change the droplet's own address", () => {
    expect(parse(renderCloudConfig({ node: nodeOn("digitalocean"), address: eip, secrets: fixedSecrets })).bootcmd).toBeUndefined();
  });
});

/** A stand-in instance metadata service on loopback, IMDSv2 only: a token, then the address. */
function fakeImds(answers: Array<string | null>) {
  const token = randomBytes(8).toString("hex");
  const seen: string[] = [];
  let asked = 0;
  const server = createServer((req: IncomingMessage, res) => {
    if (req.method === "PUT" && req.url === "/latest/api/token" && req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
      seen.push("token");
      return res.end(token);
    }
    if (req.method === "GET" && req.url === "/latest/meta-data/public-ipv4") {
      if (req.headers["x-aws-ec2-metadata-token"] !== token) return res.writeHead(401).end();
      const answer = answers[Math.min(asked++, answers.length - 1)] ?? null;
      seen.push(answer ?? "404");
      return answer === null ? res.writeHead(404).end() : res.end(answer);
    }
    res.writeHead(404).end();
  });
  return { server, seen, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/latest/` };
}

let server: Server | undefined;
afterEach(() => server?.close());

function runWait(url: string, seconds: number, provider: "aws" | "digitalocean" = "aws"): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, ...args] = waitForAddressCommand(eip, seconds, url, provider);
  return new Promise((resolve) => {
    const child = spawn(cmd!, args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the wait for the Elastic IP", () => {
  it("polls IMDSv2 until the public address is the node's own, saying what it sees", async () => {
    const imds = fakeImds([null, "203.0.113.50", "203.0.113.50", eip]);
    server = imds.server;
    await new Promise<void>((r) => imds.server.listen(0, "127.0.0.1", r));
    const { code, stdout } = await runWait(imds.url(), 60);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([
      `lifeline: waiting for public address ${eip} before any download; the metadata service says no public address`,
      `lifeline: waiting for public address ${eip} before any download; the metadata service says 203.0.113.50`,
      `lifeline: public address is ${eip}; downloads may start`,
    ]);
    expect(imds.seen).toEqual(["token", "404", "token", "203.0.113.50", "token", "203.0.113.50", "token", eip]);
  }, 30_000);

  it("gives up after its time with a message that says why the node is unreachable", async () => {
    const imds = fakeImds(["203.0.113.50"]);
    server = imds.server;
    await new Promise<void>((r) => imds.server.listen(0, "127.0.0.1", r));
    const { code, stderr } = await runWait(imds.url(), 3);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `lifeline: public address is still 203.0.113.50, not ${eip}, after 3 s: the Elastic IP was not associated, so links to ${eip} do not reach this node. Run pulumi up again.`,
    );
  }, 30_000);
});

/**
 * A stand-in DigitalOcean droplet metadata service on loopback: reserved_ip/ipv4/active and
 * ip_address, as documented, each answer in turn (null: no reserved IP assigned yet).
 */
function fakeDropletMetadata(answers: Array<string | null>) {
  const seen: string[] = [];
  let asked = 0;
  let current: string | null = null;
  const server = createServer((req: IncomingMessage, res) => {
    if (req.method === "GET" && req.url === "/metadata/v1/reserved_ip/ipv4/active") {
      current = answers[Math.min(asked++, answers.length - 1)] ?? null;
      seen.push(current === null ? "active false" : "active true");
      return res.end(current === null ? "false" : "true");
    }
    if (req.method === "GET" && req.url === "/metadata/v1/reserved_ip/ipv4/ip_address") {
      seen.push(`ip_address ${current}`);
      return current === null ? res.writeHead(404).end() : res.end(`${current}\n`);
    }
    res.writeHead(404).end();
  });
  return { server, seen, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata/v1/` };
}

function httpsNodeOn(provider: "aws" | "digitalocean") {
  const fleet = baseFleet();
  fleet.openPorts = [443, 8443];
  fleet.relays = [{ kind: "https", port: 8443, options: { publicInCtLogs: true } }];
  fleet.groups = [provider === "aws" ? { provider, regions: ["eu-north-1"], nodesPerRegion: 1 } : { provider, regions: ["fra1"], nodesPerRegion: 1 }];
  const document = parse(renderCloudConfig({ node: planOf(fleet).nodes[0]!, address: eip, secrets: fixedSecrets }));
  return new Map<string, string>(document.write_files.map((f: { path: string; content: string }) => [f.path, f.content]));
}

describe("the https relay on DigitalOcean waits for the reserved IP before its first validation", () => {
  it("polls the droplet metadata until reserved_ip/ipv4 is active and is the node's address, saying what it sees", async () => {
    const metadata = fakeDropletMetadata([null, "203.0.113.50", eip]);
    server = metadata.server;
    await new Promise<void>((r) => metadata.server.listen(0, "127.0.0.1", r));
    const { code, stdout } = await runWait(metadata.url(), 60, "digitalocean");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([
      `lifeline: waiting for public address ${eip} before the certificate's validation; the metadata service says no reserved IP`,
      `lifeline: waiting for public address ${eip} before the certificate's validation; the metadata service says 203.0.113.50`,
      `lifeline: public address is ${eip}; the CA may validate it`,
    ]);
    expect(metadata.seen).toEqual(["active false", "active true", "ip_address 203.0.113.50", "active true", `ip_address ${eip}`]);
  }, 30_000);

  it("gives up after its time, saying the reserved IP was not assigned", async () => {
    const metadata = fakeDropletMetadata([null]);
    server = metadata.server;
    await new Promise<void>((r) => metadata.server.listen(0, "127.0.0.1", r));
    const { code, stderr } = await runWait(metadata.url(), 3, "digitalocean");
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `lifeline: public address is still no reserved IP, not ${eip}, after 3 s: the reserved IP was not assigned, so links to ${eip} do not reach this node. Run pulumi up again.`,
    );
  }, 30_000);

  it("runs the wait in the https step after the timer starts and before the first certificate is asked for; AWS nodes wait in bootcmd instead", () => {
    const files = httpsNodeOn("digitalocean");
    expect(files.get("/usr/local/lib/lifeline/wait-for-reserved-ip.py")).toBe(waitScript("digitalocean"));
    const step = [...files.entries()].find(([path]) => /\/steps\/\d+-https\.sh$/.test(path))![1];
    const at = [
      "systemctl start lifeline-https-certificate.timer",
      `python3 /usr/local/lib/lifeline/wait-for-reserved-ip.py ${eip} ${addressWaitSeconds} || true`,
      "until systemctl start lifeline-https-certificate.service; do",
    ].map((line) => step.indexOf(line));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const aws = httpsNodeOn("aws");
    expect(aws.has("/usr/local/lib/lifeline/wait-for-reserved-ip.py")).toBe(false);
    expect([...aws.values()].join("\n")).not.toContain("wait-for-reserved-ip");
  });
});
