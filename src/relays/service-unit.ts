/** What differs between relays' systemd units; everything else is shared hardening. */
export interface RelayServiceSpec {
  description: string;
  user: string;
  execStart: string;
  /** A root-only file of KEY=value lines that systemd reads before dropping privileges. */
  environmentFile?: string;
}

/**
 * A systemd unit that runs a relay unprivileged, restarts it forever, and discards its
 * output: relays print client addresses, and the people behind them must never be on disk.
 */
export function relayServiceUnit(spec: RelayServiceSpec): string {
  const lines = [
    "[Unit]",
    `Description=${spec.description}`,
    "After=network-online.target nftables.service",
    "Wants=network-online.target",
    // Never give up restarting: an idle relay is worth more than a failed unit.
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    `User=${spec.user}`,
    `Group=${spec.user}`,
    ...(spec.environmentFile ? [`EnvironmentFile=${spec.environmentFile}`] : []),
    `ExecStart=${spec.execStart}`,
    "Restart=always",
    "RestartSec=1",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=yes",
    "LimitNOFILE=1048576",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "StandardOutput=null",
    "StandardError=null",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ];
  return lines.join("\n");
}
