import { z } from "zod";
import { internalIpv4, internalIpv6 } from "../abuse/internal-addresses";
import { relayServiceUnit } from "./service-unit";
import type { RelayContext, RelayKind } from "./types";
import { userPassword, userPasswordSecrets } from "./user-password";

const httpOptions = z.strictObject({
  /** Connections served at once (squid needs two file descriptors for each). */
  maxConnections: z.number().int().min(16).max(65536).default(8192),
});
export type HttpOptions = z.infer<typeof httpOptions>;

const configPath = "/etc/lifeline/http-proxy.conf";
const credentialsPath = "/etc/lifeline/http-proxy.credentials";
const passwdPath = "/etc/lifeline/http-proxy.passwd";
const errorPagesDir = "/etc/lifeline/http-errors";
const user = { name: "lifeline-http", uid: 64103 };

function squidConfig(ctx: RelayContext<HttpOptions>): string {
  return [
    "# squid configuration: an authenticated forward proxy, no cache, no logs, nothing that names it.",
    `http_port ${ctx.port}`,
    "pid_filename none",
    // Logs would name clients: none are kept, and no per-client table either.
    "access_log none",
    "cache_store_log none",
    "cache_log stdio:/dev/null",
    "netdb_filename none",
    "client_db off",
    "cache deny all",
    "cache_mem 8 MB",
    "coredump_dir /tmp",
    `max_filedescriptors ${ctx.options.maxConnections * 2 + 64}`,
    `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${passwdPath}`,
    // The realm is shown in the browser's password prompt and to every stranger: neutral.
    "auth_param basic realm proxy",
    "auth_param basic children 4 startup=1 idle=1",
    "acl authenticated proxy_auth REQUIRED",
    "acl https_port port 443",
    "acl CONNECT method CONNECT",
    `acl internal_dst dst ${[...internalIpv4, ...internalIpv6].join(" ")}`,
    `acl node_self dst ${ctx.address}`,
    // Strangers get the password prompt (407) and nothing else.
    "http_access deny !authenticated",
    // The cache manager lists every client's address to any password holder: nobody gets it.
    "http_access deny manager",
    "cachemgr_passwd disable all",
    // Not this node, not its loopback, private networks or the metadata service (the firewall
    // refuses them too; this is the proxy's own wall).
    "http_access deny to_localhost",
    "http_access deny internal_dst",
    "http_access deny node_self",
    // Browsers tunnel HTTPS with CONNECT; nothing else may be tunnelled.
    "http_access deny CONNECT !https_port",
    "http_access allow authenticated",
    "http_access deny all",
    // Sites must not learn who is behind the proxy.
    "forwarded_for delete",
    "via off",
    // Nothing a stranger or a site sees may name the software: headers and error pages.
    "httpd_suppress_version_string on",
    "reply_header_access Server deny all",
    "reply_header_access X-Squid-Error deny all",
    "reply_header_access X-Cache deny all",
    "reply_header_access X-Cache-Lookup deny all",
    "reply_header_access Via deny all",
    "reply_header_access Mime-Version deny all",
    `error_directory ${errorPagesDir}`,
    // Without it squid looks its host name up (nothing answers inside a shutdown) and refuses to start.
    "visible_hostname proxy",
    "shutdown_lifetime 1 seconds",
    // Helpers that need loopback UDP, which the egress firewall denies relay users.
    "pinger_enable off",
    "icp_port 0",
    "htcp_port 0",
    "",
  ].join("\n");
}

/** One neutral page for every error squid can show: no product name, no host name, no codes. */
const neutralErrorPage = "<html><head><title>Error</title></head><body><p>The request could not be completed.</p></body></html>\n";

/**
 * An HTTP proxy with Basic auth, which Firefox and Chrome use without any add-on (they ask
 * for the user and password themselves). Debian's squid: chosen over tinyproxy, which answers
 * a wrong password with 401 and WWW-Authenticate, so browsers prompt for the site instead
 * of the proxy (README, "Choosing the HTTP proxy").
 */
export const httpRelay: RelayKind<HttpOptions> = {
  kind: "http",
  title: "HTTP proxy with password, for browsers (squid)",
  optionsSchema: httpOptions,
  example: "{ kind: http, port: 8080 }",
  secrets: userPasswordSecrets,
  user,
  transport: "plaintext",
  egressTcpPorts: [],
  install(ctx) {
    const { user: name, pass } = userPassword("http", ctx);
    return {
      packages: ["squid", "openssl"],
      files: [
        { path: configPath, content: squidConfig(ctx), permissions: "0644" },
        { path: credentialsPath, content: `${name} ${pass}\n`, permissions: "0600" },
        { path: "/etc/lifeline/http-error.html", content: neutralErrorPage, permissions: "0644" },
      ],
      privateFiles: [],
      setup: [
        // The package's own squid (3128) must never run, not even when an upgrade restarts it.
        "systemctl disable --now squid.service",
        "systemctl mask squid.service",
        // squid checks passwords against a crypt(3) hash; the plain copy is removed.
        `read -r user pass < ${credentialsPath}`,
        `printf '%s:%s\\n' "$user" "$(printf '%s' "$pass" | openssl passwd -6 -stdin)" > ${passwdPath}`,
        `chown root:${user.name} ${passwdPath}`,
        `chmod 0640 ${passwdPath}`,
        `rm -f ${credentialsPath}`,
        // squid's own error templates name squid and the host: each is replaced by the neutral page.
        `mkdir -p ${errorPagesDir}`,
        `for template in /usr/share/squid/errors/templates/ERR_*; do cp /etc/lifeline/http-error.html "${errorPagesDir}/$(basename "$template")"; done`,
      ],
      unit: {
        name: "lifeline-http.service",
        content: relayServiceUnit({
          description: `lifeline relay: HTTP proxy (squid) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/sbin/squid -N -f ${configPath}`,
          extraAddressFamilies: ["AF_UNIX", "AF_NETLINK"],
        }),
      },
    };
  },
  links(ctx) {
    const { user: name, pass } = userPassword("http", ctx);
    return {
      url: `http://${encodeURIComponent(name)}:${encodeURIComponent(pass)}@${ctx.address}:${ctx.port}`,
      // For a browser's proxy settings: "HTTP proxy" host and port, also used for HTTPS.
      host: ctx.address,
      port: String(ctx.port),
      user: name,
      password: pass,
      // A PAC file cannot carry credentials: the browser asks for them once.
      pac: `function FindProxyForURL(url, host) {\n  return "PROXY ${ctx.address}:${ctx.port}";\n}\n`,
    };
  },
};
