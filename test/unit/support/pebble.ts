import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A TCP port nothing listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Pebble {
  /** The ACME directory, over TLS with a listener certificate signed by `listenerCaFile`. */
  directory: string;
  listenerCaFile: string;
  /** Where pebble validates: http-01 and tls-alpn-01 (it connects to 127.0.0.1 on these). */
  httpPort: number;
  tlsPort: number;
  /** The root that signs issued certificates (pebble makes a new one each start). */
  issuingRoot(): Promise<string>;
  stop(): void;
}

const openssl = (args: string[]) => {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
};

/**
 * Debian's pebble (Let's Encrypt's test CA) on loopback, validating for real: no sleeps, never
 * reusing an authorization (so every run is validated), and rejecting `nonceReject` percent of
 * good nonces (clients must retry them).
 */
export async function startPebble(nonceReject = 0): Promise<Pebble> {
  if (!existsSync("/usr/bin/pebble")) throw new Error("/usr/bin/pebble is missing: apt-get install pebble");
  const dir = mkdtempSync(join(tmpdir(), "pebble-"));
  const listenerCaFile = join(dir, "ca.crt");
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=listener root",
    "-keyout", join(dir, "ca.key"), "-out", listenerCaFile, "-addext", "basicConstraints=critical,CA:TRUE"]);
  openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=acme", "-keyout", join(dir, "l.key"), "-out", join(dir, "l.csr")]);
  writeFileSync(join(dir, "ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(["x509", "-req", "-in", join(dir, "l.csr"), "-CA", listenerCaFile, "-CAkey", join(dir, "ca.key"), "-CAcreateserial", "-days", "2",
    "-extfile", join(dir, "ext"), "-out", join(dir, "l.crt")]);
  const [acmePort, managementPort, httpPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: join(dir, "l.crt"),
      privateKey: join(dir, "l.key"),
      httpPort,
      tlsPort,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
    },
  };
  writeFileSync(join(dir, "pebble.json"), JSON.stringify(config));
  const child: ChildProcess = spawn("/usr/bin/pebble", ["-config", join(dir, "pebble.json"), "-strict", "false"], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_AUTHZREUSE: "0", PEBBLE_WFE_NONCEREJECT: String(nonceReject) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("ACME directory available")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pebble exited (${code}): ${seen}`)));
  });
  const management = `https://127.0.0.1:${managementPort}`;
  return {
    directory: `https://127.0.0.1:${acmePort}/dir`,
    listenerCaFile,
    httpPort,
    tlsPort,
    async issuingRoot() {
      const r = spawnSync("curl", ["--silent", "--fail", "--cacert", listenerCaFile, `${management}/roots/0`], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`pebble's root: ${r.stderr}`);
      return r.stdout;
    },
    stop() {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
