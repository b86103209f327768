import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockedRootKey } from "../../src/plan/root-lock-key";
import { stackFleet } from "./support/fixtures";
import { deployUnderMocks } from "./support/mocked-deploy";
import type { RecordedResource } from "./support/pulumi-mocks";

const work = mkdtempSync(join(tmpdir(), "lifeline-root-lock-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What OpenSSH's own parser makes of a public key line: `256 SHA256:... (ED25519)`, or its error. */
function sshKeygenReads(line: string): { code: number | null; out: string } {
  const file = join(work, `key-${Math.random().toString(36).slice(2)}.pub`);
  writeFileSync(file, `${line}\n`);
  const result = spawnSync("ssh-keygen", ["-l", "-f", file], { encoding: "utf8" });
  return { code: result.status, out: result.stdout + result.stderr };
}

// DigitalOcean sets a root password and e-mails it when a droplet is created without SSH keys.
describe("a DigitalOcean droplet's root account", () => {
  let recorded: RecordedResource[];
  let nodes: string[];

  beforeAll(async () => {
    const deployed = await deployUnderMocks("example-do", stackFleet("example-do"));
    recorded = deployed.recorded;
    nodes = deployed.plan.nodes.map((n) => n.name);
  });

  const find = (type: string, name: string) => recorded.find((r) => r.type === `digitalocean:index/${type}` && r.name === name);

  it("gets an SSH key at creation, its own, so DigitalOcean sets and mails no root password", () => {
    for (const node of nodes) {
      const droplet = find("droplet:Droplet", node)!;
      const key = find("sshKey:SshKey", `${node}-root-lock`)!;
      expect(droplet.inputs.sshKeys).toEqual([expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/)]);
      expect(key.id).toBeDefined();
    }
    const keys = nodes.map((node) => find("sshKey:SshKey", `${node}-root-lock`)!.inputs.publicKey as string);
    // DigitalOcean refuses one key twice in an account.
    expect(new Set(keys).size).toBe(nodes.length);
    const fingerprints = nodes.map((node) => find("droplet:Droplet", node)!.inputs.sshKeys[0]);
    expect(new Set(fingerprints).size).toBe(nodes.length);
  });

  it("hands a key OpenSSH reads as Ed25519, with no private key written anywhere", () => {
    for (const node of nodes) {
      const key = find("sshKey:SshKey", `${node}-root-lock`)!;
      expect(sshKeygenReads(key.inputs.publicKey)).toMatchObject({ code: 0, out: expect.stringMatching(/^256 SHA256:\S+ no comment \(ED25519\)/) });
      expect(key.inputs.name).toBe(`${node} root lock, no private key`);
    }
    const everything = JSON.stringify(recorded.map((r) => r.inputs));
    expect(everything).not.toMatch(/PRIVATE KEY|openssh-key-v1/);
  });
});

describe("lockedRootKey", () => {
  it("is exactly the random bytes as an Ed25519 public key", () => {
    const bytes = Buffer.alloc(32, 7);
    const blob = Buffer.from(lockedRootKey(bytes).split(" ")[1]!, "base64");
    expect(blob.subarray(blob.length - 32)).toEqual(bytes);
    expect(blob.subarray(0, 15).toString("latin1")).toBe("\0\0\0\x0bssh-ed25519");
  });

  it("refuses anything but 32 bytes", () => {
    expect(() => lockedRootKey(Buffer.alloc(31))).toThrow("an Ed25519 public key is 32 bytes, not 31");
  });
});
