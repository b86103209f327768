import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { runOk } from "../harness/run-command";
import type { TestPki } from "./test-pki";

/** The test internet's ACME CA: Debian's pebble, Let's Encrypt's own test server. */
export const caIp = "198.18.3.5";
export const caDirectory = `https://${caIp}:14000/dir`;

export interface TestCa {
  directory: string;
  /** The root pebble signs certificates under (new at every start), as PEM and as a file for clients. */
  rootPem: string;
  rootFile: string;
  /** Everything pebble printed so far: each validation it attempted, each certificate it issued. */
  log(): string;
  stop(): void;
}

/**
 * Starts pebble in the test internet, where a real CA would be: outside the blackout, reaching the
 * node's public address directly (not through the censor), validating on the real ports (http-01
 * on 80, tls-alpn-01 on 443). Its own listener has a certificate from the test PKI, which nodes
 * trust as VMs trust the web's roots. It never reuses an authorization, so every renewal is
 * validated again.
 */
export async function startTestCa(network: BlackoutNetwork, pki: TestPki, workDir: string): Promise<TestCa> {
  const ns = network.plan.ns.internet;
  await runOk("ip", ["-n", ns, "addr", "add", `${caIp}/24`, "dev", network.plan.links.internetInInternet]);
  // The CA reaches the node's public address the way the internet does: straight, past no censor.
  await runOk("ip", ["-n", ns, "route", "add", `${network.nodeIp}/32`, "via", network.plan.internet.nodeIp]);
  const listener = pki.issue("acme-ca", { ip: [caIp] });
  const config = {
    pebble: {
      listenAddress: `${caIp}:14000`,
      managementListenAddress: `${caIp}:15000`,
      certificate: listener.certFile,
      privateKey: listener.keyFile,
      httpPort: 80,
      tlsPort: 443,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
    },
  };
  const configFile = join(workDir, "pebble.json");
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn("ip", ["netns", "exec", ns, "/usr/bin/pebble", "-config", configFile, "-strict", "false"], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_AUTHZREUSE: "0", PEBBLE_WFE_NONCEREJECT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (b: Buffer) => (log += b.toString()));
  child.stderr.on("data", (b: Buffer) => (log += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pebble did not start within 30 s:\n${log}`)), 30_000);
    const check = () => {
      if (!log.includes("ACME directory available")) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    child.once("exit", (code) => reject(new Error(`pebble exited (${code}):\n${log}`)));
  });
  const root = await runOk("ip", ["netns", "exec", ns, "curl", "--silent", "--fail", "--cacert", pki.caFile, `https://${caIp}:15000/roots/0`]);
  const rootFile = join(workDir, "pebble-root.pem");
  writeFileSync(rootFile, root.stdout);
  return { directory: caDirectory, rootPem: root.stdout, rootFile, log: () => log, stop: () => child.kill("SIGKILL") };
}
