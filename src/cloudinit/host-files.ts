import { requireFirewallPath } from "../relays/service-unit";
import { fetchVerifiedFile } from "./fetch-verified";
import type { NodeFile } from "../relays/types";

// Many concurrent relay connections: file handles, backlogs, ports, fast reuse, BBR.
const sysctl = `# lifeline: tuning for many concurrent proxy connections.
fs.file-max = 2097152
net.core.somaxconn = 65535
net.core.netdev_max_backlog = 16384
net.ipv4.tcp_max_syn_backlog = 65535
net.ipv4.ip_local_port_range = 10240 65535
net.ipv4.tcp_fin_timeout = 15
net.ipv4.tcp_tw_reuse = 1
net.ipv4.tcp_keepalive_time = 300
net.core.default_qdisc = fq
net.ipv4.tcp_congestion_control = bbr
net.netfilter.nf_conntrack_max = 524288
# microsocks runs a thread per connection: a 512 MiB VM's default thread ceiling is about 4096
# (total memory / 32 pages), and pid_max 32768; both would cap a node below 10,000 tunnels.
kernel.threads-max = 65536
kernel.pid_max = 131072
`;

// The journal stays in RAM: after a seizure or reboot, nothing about clients is on disk.
const journald = `[Journal]
Storage=volatile
RuntimeMaxUse=32M
ForwardToSyslog=no
`;

const autoUpgrades = `APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
`;

// Kernel and C library updates take effect only after a reboot: nodes reboot on their own, at a
// quiet hour for Central Asia (21:30 UTC is 02:30 in Kazakhstan), only when an update asks for it.
// Relays are back about a minute later; links do not change (docs/node.md, "What runs on a node": updates and reboots).
export const rebootTimeUtc = "21:30";
const rebootPolicy = `Unattended-Upgrade::Automatic-Reboot "true";
Unattended-Upgrade::Automatic-Reboot-WithUsers "true";
Unattended-Upgrade::Automatic-Reboot-Time "${rebootTimeUtc}";
`;

// unattended-upgrades restarts a package's own units, never lifeline's, which run the same
// binaries: after every dpkg run, restart each relay that still maps a replaced file.
const restartOutdatedRelays = `#!/bin/sh
# Restarts lifeline relays that still run files dpkg has replaced (an upgraded binary or library).
for unit in $(systemctl list-units --type=service --state=active --no-legend --plain 'lifeline-*.service' | cut -d' ' -f1); do
  pid=$(systemctl show -p MainPID --value "$unit")
  [ "\${pid:-0}" -gt 0 ] || continue
  if grep -qE '[[:space:]]/(usr/)?(s?bin|lib|lib64|libexec)/[^[:space:]]* [(]deleted[)]$' "/proc/$pid/maps" 2>/dev/null; then
    echo "lifeline: restarting $unit: it still ran files an upgrade replaced"
    systemctl restart "$unit" || true
  fi
done
`;
const restartHook = `DPkg::Post-Invoke { "if [ -x /usr/local/lib/lifeline/restart-outdated-relays.sh ]; then /usr/local/lib/lifeline/restart-outdated-relays.sh; fi"; };
`;

// Every relay unit runs this (as root) before it starts: no firewall, no relay.
const requireFirewall = `#!/bin/sh
if nft list chain inet lifeline output >/dev/null 2>&1; then exit 0; fi
echo "lifeline: the node firewall is not loaded, so no relay may start (see: systemctl status nftables)" | systemd-cat -t lifeline -p err
exit 1
`;

// Packages must not start their own daemons on install (an open proxy, a default password):
// relays start only as lifeline's units. The host setup step removes this once packages are in.
const noServiceStarts = `#!/bin/sh
# lifeline: no service starts while cloud-init installs packages.
exit 101
`;

export const policyRcPath = "/usr/sbin/policy-rc.d";

/** Files every node gets, whatever its relays. */
export function hostFiles(): NodeFile[] {
  return [
    { path: policyRcPath, content: noServiceStarts, permissions: "0755" },
    { path: "/etc/sysctl.d/90-lifeline.conf", content: sysctl, permissions: "0644" },
    { path: "/etc/modules-load.d/lifeline.conf", content: "tcp_bbr\nnf_conntrack\n", permissions: "0644" },
    { path: "/etc/systemd/journald.conf.d/90-lifeline.conf", content: journald, permissions: "0644" },
    { path: "/etc/apt/apt.conf.d/20auto-upgrades", content: autoUpgrades, permissions: "0644" },
    { path: "/etc/apt/apt.conf.d/52lifeline-reboot", content: rebootPolicy, permissions: "0644" },
    { path: "/etc/apt/apt.conf.d/80lifeline-restart-relays", content: restartHook, permissions: "0644" },
    { path: "/usr/local/lib/lifeline/restart-outdated-relays.sh", content: restartOutdatedRelays, permissions: "0755" },
    { path: requireFirewallPath, content: requireFirewall, permissions: "0755" },
    fetchVerifiedFile(),
  ];
}

/** Packages every node needs, whatever its relays. */
export const hostPackages = ["nftables", "unattended-upgrades", "iproute2"];
