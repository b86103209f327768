import { z } from "zod";
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
const user = { name: "lifeline-http", uid: 64103 };

function squidConfig(ctx: RelayContext<HttpOptions>): string {
  return [
    "# squid configuration written by lifeline: an authenticated forward proxy, no cache, no logs.",
    `http_port ${ctx.port}`,
    "pid_filename none",
    // Logs would name clients: none are kept.
    "access_log none",
    "cache_store_log none",
    "cache_log stdio:/dev/null",
    "netdb_filename none",
    "cache deny all",
    "cache_mem 8 MB",
    "coredump_dir /tmp",
    `max_filedescriptors ${ctx.options.maxConnections * 2 + 64}`,
    `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${passwdPath}`,
    "auth_param basic realm lifeline",
    "auth_param basic children 4 startup=1 idle=1",
    "acl authenticated proxy_auth REQUIRED",
    "acl https_port port 443",
    "acl CONNECT method CONNECT",
    // Browsers tunnel HTTPS with CONNECT; nothing else may be tunnelled.
    "http_access deny CONNECT !https_port",
    "http_access allow authenticated",
    "http_access deny all",
    // Sites must not learn who is behind the proxy.
    "forwarded_for delete",
    "via off",
    "httpd_suppress_version_string on",
    // Without it squid looks its host name up (nothing answers inside a shutdown) and refuses to start.
    "visible_hostname lifeline-proxy",
    "shutdown_lifetime 1 seconds",
    // Helpers that need loopback UDP, which the egress firewall denies relay users.
    "pinger_enable off",
    "icp_port 0",
    "htcp_port 0",
    "",
  ].join("\n");
}

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
      ],
      privateFiles: [],
      setup: [
        // The package starts its own squid on 3128: not ours.
        "systemctl disable --now squid.service",
        // squid checks passwords against a crypt(3) hash; the plain copy is removed.
        `read -r user pass < ${credentialsPath}`,
        `printf '%s:%s\\n' "$user" "$(printf '%s' "$pass" | openssl passwd -6 -stdin)" > ${passwdPath}`,
        `chown root:${user.name} ${passwdPath}`,
        `chmod 0640 ${passwdPath}`,
        `rm -f ${credentialsPath}`,
      ],
      unit: {
        name: "lifeline-http.service",
        content: relayServiceUnit({
          description: `lifeline relay: HTTP proxy (squid) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/sbin/squid -N -f ${configPath}`,
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
