import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BlackoutNetwork } from "../harness";
import { startNetnsScript } from "../harness/netns-script";
import { runOk } from "../harness/run-command";
import type { FrontingSiteConfig } from "./fronting-site-server";
import type { TestPki } from "./test-pki";

/** The HTTPS site mtg imitates in the tests: a name under the reserved `.test` TLD. */
export const frontingHost = "www.fronting.test";
export const FRONTING_PAGE = "<html><body>an ordinary website</body></html>\n";
/** Extra addresses of the test internet host: the fronting site and the DNS-over-HTTPS resolver. */
export const frontingSiteIp = "198.18.3.3";
export const dohResolverIp = "198.18.3.4";

export interface Transcript {
  id: string;
  fromClient: Buffer;
  toClient: Buffer;
}

export interface FrontingSite {
  /** The root that signed the site's certificate, as a file clients can be pointed at. */
  caFile: string;
  /** The certificate chain the site presents (PEM), as it sends it. */
  certFile: string;
  /** Every connection the site has seen so far, oldest first. */
  transcripts(): Transcript[];
  stop(): void;
}

/**
 * Starts the resolver and the recorded fronting site in the test's internet namespace, with
 * certificates from the test PKI (which the node trusts like a VM trusts the web's roots).
 */
export async function startFrontingSite(network: BlackoutNetwork, pki: TestPki, workDir: string): Promise<FrontingSite> {
  const ns = network.plan.ns.internet;
  for (const ip of [frontingSiteIp, dohResolverIp]) await runOk("ip", ["-n", ns, "addr", "add", `${ip}/24`, "dev", network.plan.links.internetInInternet]);
  const transcriptDir = join(workDir, "transcripts");
  mkdirSync(transcriptDir, { recursive: true });
  const config: FrontingSiteConfig = {
    doh: { ip: dohResolverIp, ...pki.issue("resolver", { ip: [dohResolverIp] }), answers: { [frontingHost]: frontingSiteIp } },
    site: { ip: frontingSiteIp, ...pki.issue("site", { dns: [frontingHost] }), page: FRONTING_PAGE, transcriptDir },
  };
  const configFile = join(workDir, "fronting-site.json");
  writeFileSync(configFile, JSON.stringify(config));
  const { child } = await startNetnsScript(ns, join(__dirname, "fronting-site-server.ts"), [configFile], "fronting site", 30_000);
  return {
    caFile: pki.caFile,
    certFile: config.site.certFile,
    transcripts: () =>
      readdirSync(transcriptDir)
        .sort()
        .map((f) => JSON.parse(readFileSync(join(transcriptDir, f), "utf8")) as { id: string; fromClient: string; toClient: string })
        .map((t) => ({ id: t.id, fromClient: Buffer.from(t.fromClient, "hex"), toClient: Buffer.from(t.toClient, "hex") })),
    stop: () => child.kill("SIGKILL"),
  };
}
