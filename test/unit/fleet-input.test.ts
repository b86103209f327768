import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FleetInputError } from "../../src/fleet-input/errors";
import { mergeFleet } from "../../src/fleet-input/merge-fleet";
import { parseStackOutputs } from "../../src/fleet-input/parse-stack-outputs";
import { fleetFromOutputFiles, fleetFromStacks } from "../../src/fleet-input/read-inputs";
import { plaintextWarning, privateLinkWarning } from "../../src/links/node-links";
import { stackFleet } from "./support/fixtures";
import { planOf } from "./support/load";
import { editedOutputs, exampleOutputFiles } from "./support/share-fixtures";

let dir: string;
let files: string[];
let json: Record<string, string>;
beforeAll(async () => ({ dir, files, json } = await exampleOutputFiles()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof FleetInputError) return error.problems;
    throw error;
  }
  throw new Error("the input was accepted");
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** How many nodes an example stack plans (the examples change; these tests should not care). */
const exampleNodeCount = (stack: string) => planOf(stackFleet(stack)).nodes.length;

describe("reading stack outputs made by the real program", () => {
  it("merges every node of every stack, with the links share uses", () => {
    const fleet = fleetFromOutputFiles(files);
    const planned = [...planOf(stackFleet("example-do")).nodes, ...planOf(stackFleet("example-aws")).nodes];
    expect(fleet.nodes.map((n) => n.name)).toEqual(planned.map((n) => n.name));
    expect(fleet.sources).toEqual(files);
    expect(fleet.warnings).toEqual([]);
    for (const [i, node] of fleet.nodes.entries()) {
      expect(node.relays.map((r) => r.kind)).toEqual(planned[i]!.relays.map((r) => r.kind));
      expect(node.source).toBe(node.provider === "aws" ? files[1] : files[0]);
    }
    const socks = fleet.nodes[0]!.relays.find((r) => r.kind === "socks5")!;
    expect(socks).toMatchObject({ transport: "plaintext", warning: plaintextWarning });
    expect(Object.keys(socks).sort()).toEqual(["kind", "telegram", "telegramWeb", "transport", "warning"]);
    const node = fleet.nodes[0]!;
    const https = node.relays.find((r) => r.kind === "https")!;
    expect(https).toMatchObject({ transport: "encrypted", host: node.address, port: "8443", pac: expect.stringContaining(`return "HTTPS ${node.address}:8443";`) });
    expect(Object.keys(https).sort()).toEqual(["host", "kind", "pac", "password", "port", "transport", "user"]);
  });

  it("collects the SIP008 servers of every stack", () => {
    const fleet = fleetFromOutputFiles(files);
    const withShadowsocks = fleet.nodes.filter((n) => n.relays.some((r) => r.kind === "shadowsocks"));
    expect(withShadowsocks.length).toBeGreaterThan(0);
    expect(fleet.shadowsocksServers.map((s) => s.server)).toEqual(withShadowsocks.map((n) => n.address));
  });

  it("reads --stacks through `pulumi stack output --json --show-secrets` per stack", () => {
    const calls: string[][] = [];
    const fleet = fleetFromStacks(["example-do", "example-aws"], (args) => {
      calls.push(args);
      return { status: 0, stdout: json[args.at(-1)!]!, stderr: "" };
    });
    expect(calls).toEqual([
      ["stack", "output", "--json", "--show-secrets", "--stack", "example-do"],
      ["stack", "output", "--json", "--show-secrets", "--stack", "example-aws"],
    ]);
    expect(fleet.sources).toEqual(["stack example-do", "stack example-aws"]);
    expect(fleet.nodes).toHaveLength(exampleNodeCount("example-do") + exampleNodeCount("example-aws"));
  });
});

describe("bad outputs are named by file and field, all at once", () => {
  it("names a missing file, a file that is not JSON and a stack whose pulumi call failed", () => {
    const secret = "SeCrEt-in-the-broken-file";
    const broken = write("broken.json", `{"nodes": [ {"name": "${secret}" ,, ]}`);
    const problems = problemsOf(() => fleetFromOutputFiles([join(dir, "missing.json"), broken, files[0]!]));
    expect(problems).toEqual([
      `${join(dir, "missing.json")}: no such file`,
      expect.stringMatching(new RegExp(`^${broken}: is not valid JSON at line 1, column \\d+ \\(expected the output of`)),
    ]);
    expect(problems.join("\n")).not.toContain(secret);
    const failed = problemsOf(() => fleetFromStacks(["bob"], () => ({ status: 255, stdout: "", stderr: "error: no stack named 'bob' found\n" })));
    expect(failed).toEqual(["stack bob: `pulumi stack output` failed (exit 255): error: no stack named 'bob' found"]);
    expect(problemsOf(() => fleetFromStacks(["../x"], () => ({ status: 0, stdout: "{}", stderr: "" })))[0]).toContain("stack ../x: is not a stack name");
  });

  it("names each bad field with its path", () => {
    const bad = editedOutputs(json["example-do"]!, (o) => {
      o.nodes[0].links.http.port = "eighty";
      delete o.nodes[0].links.socks5.warning;
      o.nodes[1].links.mtproto.telegramWeb = "http://t.me/proxy?x";
      delete o.nodes[2].address;
      o.nodes[0].links.https.pac = 'function FindProxyForURL(url, host) { return "PROXY 192.0.2.1:8443"; }';
    });
    expect(parseStackOutputs("do.json", bad).problems).toEqual([
      "do.json: nodes[0].links.https.pac: must be a PAC file returning HTTPS host:port",
      "do.json: nodes[0].links.socks5.warning: a plaintext relay must carry its warning",
      "do.json: nodes[0].links.http.port: must be a port number",
      "do.json: nodes[1].links.mtproto.telegramWeb: must start with https://t.me/proxy?",
      "do.json: nodes[2].address: Invalid input: expected string, received undefined",
    ]);
    expect(parseStackOutputs("x.json", "[]").problems).toEqual(["x.json: must be a JSON object of stack outputs"]);
    expect(parseStackOutputs("x.json", "{}").problems).toEqual(["x.json: nodes: is missing (is this the output of a lifeline stack?)"]);
    const sip = editedOutputs(json["example-aws"]!, (o) => (o.documents.shadowsocksSip008 = '{"version":1,"servers":[{"server":"h"}]}'));
    expect(parseStackOutputs("aws.json", sip).problems).toEqual([
      "aws.json: documents.shadowsocksSip008.servers[0].server_port: Invalid input: expected number, received undefined",
      "aws.json: documents.shadowsocksSip008.servers[0].password: Invalid input: expected string, received undefined",
      "aws.json: documents.shadowsocksSip008.servers[0].method: Invalid input: expected string, received undefined",
    ]);
  });

  it("takes each relay's transport class from its kind, not from the file: older outputs called Shadowsocks encrypted", () => {
    const aws = parseStackOutputs("aws.json", json["example-aws"]!).outputs!;
    expect(aws.nodes[0]!.relays.find((r) => r.kind === "shadowsocks")).toMatchObject({ transport: "private-link", warning: privateLinkWarning });
    const older = editedOutputs(json["example-aws"]!, (o) => {
      o.nodes[0].links.shadowsocks = { accessKey: o.nodes[0].links.shadowsocks.accessKey, transport: "encrypted" };
      o.nodes[0].links.mtproto.transport = "plaintext";
      o.nodes[0].links.mtproto.warning = "plaintext";
    });
    const relays = parseStackOutputs("aws.json", older).outputs!.nodes[0]!.relays;
    expect(relays.find((r) => r.kind === "shadowsocks")!.transport).toBe("private-link");
    expect(relays.find((r) => r.kind === "mtproto")!.transport).toBe("encrypted");
    expect(parseStackOutputs("aws.json", editedOutputs(json["example-aws"]!, (o) => (o.nodes[0].links.mtproto.transport = "secure"))).problems).toEqual([
      'aws.json: nodes[0].links.mtproto.transport: Invalid option: expected one of "encrypted"|"private-link"|"plaintext"',
    ]);
  });

  it("refuses one node twice (a stack given twice), naming both places", () => {
    const problems = problemsOf(() => fleetFromOutputFiles([files[0]!, write("copy.json", json["example-do"]!)]));
    expect(problems).toHaveLength(exampleNodeCount("example-do"));
    expect(problems[0]).toBe(`${join(dir, "copy.json")}: node do-fra1-0 has the address of do-fra1-0 in ${files[0]}: is one stack given twice?`);
  });
});

describe("tolerance of what share does not use", () => {
  it("skips unknown relay kinds with a warning and ignores unknown fields and outputs", () => {
    const extended = editedOutputs(json["example-do"]!, (o) => {
      o.nodes[0].links.wireguard = { config: "[Interface]", transport: "encrypted" };
      o.nodes[0].links.mtproto.qr = "something new";
      o.nodes[0].extra = 1;
      o.newOutput = { a: 1 };
    });
    const parsed = parseStackOutputs("do.json", extended);
    expect(parsed.problems).toEqual([]);
    expect(parsed.warnings).toEqual(['do.json: nodes[0].links.wireguard: relay kind "wireguard" is not known to share; skipped']);
    expect(parsed.outputs!.nodes[0]!.relays.map((r) => r.kind)).toEqual(["mtproto", "https", "socks5", "http"]);
    expect(parsed.outputs!.nodes[0]!.relays[0]).not.toHaveProperty("qr");
  });

  it("warns about a stack with no nodes instead of failing", () => {
    const empty = parseStackOutputs("empty.json", JSON.stringify({ nodes: [], summary: {}, documents: {} }));
    const fleet = mergeFleet([empty, parseStackOutputs("do.json", json["example-do"]!)]);
    expect(fleet.warnings).toEqual(["empty.json: the stack has no nodes"]);
    expect(fleet.nodes).toHaveLength(exampleNodeCount("example-do"));
  });
});
