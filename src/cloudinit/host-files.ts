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

// Downloads an artifact and keeps it only if its sha256 matches the pinned value.
const fetchVerified = `#!/bin/sh
# Usage: fetch-verified.sh URL SHA256 DEST
# A tampered or truncated download never appears at DEST.
set -eu
url=$1 expected=$2 dest=$3
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp "$dest.XXXXXX")
trap 'rm -f "$tmp"' EXIT
curl --fail --silent --show-error --location --retry 5 --retry-delay 2 --retry-connrefused \\
  --connect-timeout 15 --max-time 300 --output "$tmp" "$url"
actual=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "lifeline: checksum mismatch for $url: expected $expected, got $actual" >&2
  exit 1
fi
mv "$tmp" "$dest"
trap - EXIT
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
    { path: "/usr/local/lib/lifeline/fetch-verified.sh", content: fetchVerified, permissions: "0755" },
  ];
}

/** Packages every node needs, whatever its relays. */
export const hostPackages = ["nftables", "unattended-upgrades", "iproute2"];
