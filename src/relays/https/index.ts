import { z } from "zod";
import { relayServiceUnit } from "../service-unit";
import { squidProxyConfig } from "../squid/proxy-config";
import { squidProxyLinks } from "../squid/proxy-links";
import { squidFiles, squidMaxConnections, squidOptions, squidExecStart, squidPackages, squidPaths, squidSetup } from "../squid/squid-install";
import type { RelayKind } from "../types";
import { userPassword, userPasswordSecrets } from "../user-password";
import { acmeDirectoryName, acmeDirectoryUrl, ipCertificateProfile, letsEncryptDirectory } from "./acme-directory";
import { certificateDir, certificateFiles, certificateTimer, certificateUnit, firstCertificateSetup } from "./certificate-files";
import { certificateValidation } from "./certificate-validation";

/**
 * Each tunnel also holds a TLS session: about 64 KiB of a node's memory against http's 35
 * (`npm run bench:relays`), and a 512 MiB node was OOM-killed on the way to 9,900. 3000 is
 * about 190 MiB.
 */
export const httpsDefaultMaxConnections = 3000;

/**
 * Let's Encrypt, like every CA browsers trust, logs each certificate in public Certificate
 * Transparency logs, and certificates for bare IP addresses are rare there: a censor following
 * the logs has a node's address minutes after boot, before any link is out, and again at every
 * renewal. Blocking that address blocks every relay on the node.
 */
export const ctLogsCost =
  "the https relay makes each node's address public: its certificate is published in Certificate Transparency logs " +
  "within minutes of boot and at every renewal, where a censor finds it before any link is handed out, and with it " +
  "every other relay on the same node";

const ctLogsConsent =
  `${ctLogsCost}. Give https nodes of their own (a stack whose only relay is https) and set ` +
  "options: { publicInCtLogs: true } on the https relay to accept this";

const httpsOptions = squidOptions.extend({
  /** The organizer's explicit yes to the cost above: the relay is opt-in. */
  publicInCtLogs: z.literal(true, { error: ctLogsConsent }),
  maxConnections: squidMaxConnections(httpsDefaultMaxConnections),
  /**
   * Where the node gets its certificate: Let's Encrypt by default; its staging directory for a
   * first run (browsers do not trust those certificates), or a test CA such as pebble.
   */
  acmeDirectory: acmeDirectoryUrl.default(letsEncryptDirectory),
});
export type HttpsOptions = z.infer<typeof httpsOptions>;

const paths = squidPaths("https");
const user = { name: "lifeline-https", uid: 64105 };
const unitName = "lifeline-https.service";

/**
 * The same authenticated squid as `http`, but spoken to over TLS (`https_port`): the censor's DPI
 * sees neither the password nor the sites (the CONNECT target). Browsers use it through a PAC
 * file returning `HTTPS ip:port` (Firefox, Chrome) or Chrome's `--proxy-server=https://`. The
 * certificate is for the node's address itself, from Let's Encrypt's `shortlived` profile,
 * obtained at first boot and renewed by the node (certificate-files.ts).
 */
export const httpsRelay: RelayKind<HttpsOptions> = {
  kind: "https",
  title: "HTTPS proxy with password, for browsers (squid over TLS, certificate for the node's IP address)",
  optionsSchema: httpsOptions,
  example: "{ kind: https, port: 8443, options: { publicInCtLogs: true } }",
  secrets: userPasswordSecrets,
  user,
  transport: "encrypted",
  egressTcpPorts: [],
  validationTcpPort(nodeRelayPorts) {
    return certificateValidation(nodeRelayPorts).port;
  },
  planNotes(options, neighbours) {
    return [
      `https: ${ctLogsCost}` +
        (neighbours.length > 0
          ? `; here that is ${neighbours.join(", ")} too: give https a stack of its own (dedicated nodes) to keep them hidden`
          : "; these nodes carry https alone, as advised"),
      `https: a certificate for each node's address from ${acmeDirectoryName(options.acmeDirectory)}, profile ${ipCertificateProfile} ` +
        "(Let's Encrypt: 160 hours), at first boot and again when half its life has passed; the CA validates it on port 80 " +
        "(443 when a relay uses 80; when relays use both, 80 is taken from its relay for the seconds of a validation) " +
        "from outside the blackout: the cloud firewall opens that port, the node only while it validates",
    ];
  },
  install(ctx) {
    const { user: name, pass } = userPassword("https", ctx);
    const config = squidProxyConfig({
      listen: `https_port ${ctx.port} tls-cert=${certificateDir}/fullchain.pem tls-key=${certificateDir}/key.pem tls-min-version=1.2`,
      passwdPath: paths.passwd,
      errorPagesDir: paths.errorPagesDir,
      address: ctx.address,
      maxConnections: ctx.options.maxConnections,
    });
    return {
      packages: [...squidPackages, "python3"],
      files: [
        ...squidFiles(paths, config, name, pass),
        ...certificateFiles({ directory: ctx.options.acmeDirectory, address: ctx.address, validation: certificateValidation(ctx.nodeRelayPorts), relayUser: user.name, relayUnit: unitName, relayPort: ctx.port, provider: ctx.provider }),
      ],
      privateFiles: [],
      setup: [...squidSetup(paths, user.name), ...firstCertificateSetup(unitName, ctx.provider, ctx.address)],
      // Every renewal is another CT log entry: none after the stack's expiry, whatever the cloud.
      stopAtExpiry: [certificateTimer, certificateUnit],
      unit: {
        name: unitName,
        content: relayServiceUnit({
          description: `lifeline relay: HTTPS proxy (squid over TLS) on port ${ctx.port}`,
          user: user.name,
          execStart: squidExecStart("https", paths),
          // squid re-reads its configuration and certificate on SIGHUP; open tunnels stay up.
          execReload: "/bin/kill -HUP $MAINPID",
          requiredFile: `${certificateDir}/fullchain.pem`,
          extraAddressFamilies: ["AF_UNIX", "AF_NETLINK"],
        }),
      },
    };
  },
  links(ctx) {
    // No browser has a settings field for a TLS proxy: a PAC file or Chrome's --proxy-server=https://.
    return squidProxyLinks("https", ctx);
  },
};
