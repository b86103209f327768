import { relayServiceUnit } from "./service-unit";
import { squidProxyConfig } from "./squid/proxy-config";
import { squidProxyLinks } from "./squid/proxy-links";
import { squidFiles, squidOptions, squidExecStart, squidPackages, squidPaths, squidSetup, type SquidOptions } from "./squid/squid-install";
import type { RelayKind } from "./types";
import { userPassword, userPasswordSecrets } from "./user-password";

export type HttpOptions = SquidOptions;

const paths = squidPaths("http");
const user = { name: "lifeline-http", uid: 64103 };

/**
 * An HTTP proxy with Basic auth, which Firefox and Chrome use without any add-on (they ask
 * for the user and password themselves). Debian's squid: chosen over tinyproxy, which answers
 * a wrong password with 401 and WWW-Authenticate, so browsers prompt for the site instead
 * of the proxy (docs/benchmarks.md, "Choosing the HTTP proxy").
 */
export const httpRelay: RelayKind<HttpOptions> = {
  kind: "http",
  title: "HTTP proxy with password, for browsers (squid)",
  optionsSchema: squidOptions,
  example: "{ kind: http, port: 8080 }",
  secrets: userPasswordSecrets,
  user,
  transport: "plaintext",
  egressTcpPorts: [],
  install(ctx) {
    const { user: name, pass } = userPassword("http", ctx);
    const config = squidProxyConfig({
      listen: `http_port ${ctx.port}`,
      passwdPath: paths.passwd,
      errorPagesDir: paths.errorPagesDir,
      address: ctx.address,
      maxConnections: ctx.options.maxConnections,
    });
    return {
      packages: squidPackages,
      files: squidFiles(paths, config, name, pass),
      privateFiles: [],
      setup: squidSetup(paths, user.name),
      unit: {
        name: "lifeline-http.service",
        content: relayServiceUnit({
          description: `lifeline relay: HTTP proxy (squid) on port ${ctx.port}`,
          user: user.name,
          execStart: squidExecStart("http", paths),
          extraAddressFamilies: ["AF_UNIX", "AF_NETLINK"],
        }),
      },
    };
  },
  links(ctx) {
    // "HTTP proxy" host and port in a browser's settings, also used for HTTPS sites.
    return squidProxyLinks("http", ctx);
  },
};
