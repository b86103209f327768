import { z } from "zod";
import { relayServiceUnit } from "../service-unit";
import { squidProxyConfig } from "../squid/proxy-config";
import { squidProxyLinks } from "../squid/proxy-links";
import { squidFiles, squidMaxConnections, squidOptions, squidExecStart, squidPackages, squidPaths, squidSetup } from "../squid/squid-install";
import type { RelayKind } from "../types";
import { userPassword, userPasswordSecrets } from "../user-password";
import { acmeDirectoryName, acmeDirectoryUrl, ipCertificateProfile, letsEncryptDirectory } from "./acme-directory";
import { certificateDir, certificateFiles, firstCertificateSetup } from "./certificate-files";
import { certificateValidation } from "./certificate-validation";

/**
 * Each tunnel also holds a TLS session: about 64 KiB of a node's memory against http's 35
 * (`npm run bench:relays`), and a 512 MiB node was OOM-killed on the way to 9,900. 3000 is
 * about 190 MiB.
 */
export const httpsDefaultMaxConnections = 3000;

const httpsOptions = squidOptions.extend({
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
  example: "{ kind: https, port: 8443 }",
  secrets: userPasswordSecrets,
  user,
  transport: "encrypted",
  egressTcpPorts: [],
  validationTcpPort(nodeRelayPorts) {
    return certificateValidation(nodeRelayPorts).port;
  },
  planNotes(options) {
    return [
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
        ...certificateFiles({ directory: ctx.options.acmeDirectory, address: ctx.address, validation: certificateValidation(ctx.nodeRelayPorts), relayUser: user.name, relayUnit: unitName, relayPort: ctx.port }),
      ],
      privateFiles: [],
      setup: [...squidSetup(paths, user.name), ...firstCertificateSetup(unitName)],
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
