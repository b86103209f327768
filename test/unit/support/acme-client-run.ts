import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acmeClientScript } from "../../../src/relays/https/acme-client-source";

export interface AcmeClientConfig {
  directory: string;
  address: string;
  profile: string;
  challenge: "http-01" | "tls-alpn-01";
  port: number;
}

export interface AcmeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the client exactly as nodes get it (the shipped text, comments stripped) with Debian's
 * python3, trusting `caFile` for the directory's TLS as a node trusts the web's roots.
 */
export function runAcmeClient(command: "due" | "issue", config: AcmeClientConfig, state: string, caFile?: string): Promise<AcmeRun> {
  const dir = mkdtempSync(join(tmpdir(), "acme-client-"));
  writeFileSync(join(dir, "acme_client.py"), acmeClientScript);
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return new Promise((resolve) => {
    const child = spawn("/usr/bin/python3", [join(dir, "acme_client.py"), command, join(dir, "config.json"), state], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...(caFile ? { SSL_CERT_FILE: caFile } : {}) },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
