import { internalIpv4, internalIpv6 } from "../abuse/internal-addresses";

/** Run as root before every start of a relay: the relay serves only behind the node firewall. */
export const requireFirewallPath = "/usr/local/lib/lifeline/require-firewall.sh";

/** What differs between relays' systemd units; everything else is shared hardening. */
export interface RelayServiceSpec {
  description: string;
  user: string;
  execStart: string;
  /** A root-only file of KEY=value lines that systemd reads before dropping privileges. */
  environmentFile?: string;
  /**
   * Socket families beyond IPv4 and IPv6: glibc's resolver asks the kernel about local
   * addresses over AF_NETLINK; squid talks to its password helper over AF_UNIX.
   */
  extraAddressFamilies?: readonly string[];
  /** Internal addresses the relay still needs, besides the node's resolvers (mtg's metrics over loopback). */
  extraAllowedAddresses?: readonly string[];
  /** How the running relay re-reads its files without dropping connections (`systemctl reload`). */
  execReload?: string;
  /** A file the relay cannot serve without (its certificate): until it exists the unit stays inactive, not failing. */
  requiredFile?: string;
  /**
   * A thread per connection (microsocks): systemd's default task limit (15% of the kernel's
   * pid_max, about 4900 on a small VM) would cap the relay's connections; lifted for these.
   */
  threadPerConnection?: boolean;
}

/**
 * The sandbox of every lifeline service that faces the network (relays, the certificate client):
 * binding ports below 1024 (80, 443) is the one capability; read-only system, private /tmp and
 * /dev, no kernel tunables, modules, namespaces, SUID, realtime or W+X memory, a system-call
 * allow-list, and only the socket families given.
 */
export function unprivilegedSandbox(addressFamilies: readonly string[]): string[] {
  return [
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "PrivateIPC=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "ProtectProc=invisible",
    "ProcSubset=pid",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "MemoryDenyWriteExecute=yes",
    "RemoveIPC=yes",
    "KeyringMode=private",
    "UMask=0077",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallFilter=~@privileged",
    "SystemCallErrorNumber=EPERM",
    `RestrictAddressFamilies=${addressFamilies.join(" ")}`,
  ];
}

/**
 * A systemd unit that runs a relay unprivileged and sandboxed, restarts it forever, and
 * discards its output: relays print client addresses, and the people behind them must never
 * be on disk.
 *
 * It starts only when the node firewall is loaded (Requires= plus a check before each start),
 * and it carries its own second wall, enforced by the kernel for the unit's sockets whatever
 * the firewall does: no loopback, private, link-local (the metadata service, which serves the
 * relay secrets) or reserved address. At first boot a drop-in for every lifeline-*.service adds
 * what only the node knows: its own addresses (denied) and its resolvers (allowed).
 */
export function relayServiceUnit(spec: RelayServiceSpec): string {
  const families = ["AF_INET", "AF_INET6", ...(spec.extraAddressFamilies ?? [])];
  const allowed = spec.extraAllowedAddresses ?? [];
  const lines = [
    "[Unit]",
    `Description=${spec.description}`,
    "Requires=nftables.service",
    "After=network-online.target nftables.service",
    "Wants=network-online.target",
    // Never give up restarting: an idle relay is worth more than a failed unit.
    "StartLimitIntervalSec=0",
    ...(spec.requiredFile ? [`ConditionPathExists=${spec.requiredFile}`] : []),
    "",
    "[Service]",
    `User=${spec.user}`,
    `Group=${spec.user}`,
    ...(spec.environmentFile ? [`EnvironmentFile=${spec.environmentFile}`] : []),
    `ExecStartPre=+${requireFirewallPath}`,
    `ExecStart=${spec.execStart}`,
    ...(spec.execReload ? [`ExecReload=${spec.execReload}`] : []),
    "Restart=always",
    "RestartSec=1",
    "LimitNOFILE=1048576",
    ...(spec.threadPerConnection ? ["TasksMax=infinity"] : []),
    ...unprivilegedSandbox(families),
    `IPAddressDeny=${[...internalIpv4, ...internalIpv6].join(" ")}`,
    ...(allowed.length > 0 ? [`IPAddressAllow=${allowed.join(" ")}`] : []),
    "StandardOutput=null",
    "StandardError=null",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ];
  return lines.join("\n");
}
