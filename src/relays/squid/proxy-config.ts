import { internalIpv4, internalIpv6 } from "../../abuse/internal-addresses";

/** What differs between the squid relays (http, https); every rule below is shared. */
export interface SquidProxySpec {
  /** The listening line: `http_port 8080`, or `https_port 8443 tls-cert=...` for TLS to the proxy. */
  listen: string;
  /** squid's password file (user:crypt hash), made at first boot. */
  passwdPath: string;
  /** Where the neutral error pages are. */
  errorPagesDir: string;
  /** The node's public address: squid refuses it as a target. */
  address: string;
  maxConnections: number;
}

/**
 * squid configuration: an authenticated forward proxy, no cache, no logs, nothing that names
 * it. Both squid relays use it, so a rule fixed for one is fixed for both.
 */
export function squidProxyConfig(spec: SquidProxySpec): string {
  return [
    "# squid configuration: an authenticated forward proxy, no cache, no logs, nothing that names it.",
    spec.listen,
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
    `max_filedescriptors ${spec.maxConnections * 2 + 64}`,
    `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${spec.passwdPath}`,
    // The realm is shown in the browser's password prompt and to every stranger: neutral.
    "auth_param basic realm proxy",
    "auth_param basic children 4 startup=1 idle=1",
    "acl authenticated proxy_auth REQUIRED",
    "acl https_port port 443",
    "acl CONNECT method CONNECT",
    `acl internal_dst dst ${[...internalIpv4, ...internalIpv6].join(" ")}`,
    `acl node_self dst ${spec.address}`,
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
    `error_directory ${spec.errorPagesDir}`,
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
