import type { NodeFile, RelayInstall, RelayKind } from "../relays/types";
import { nftIncludeDir } from "./firewall";

export const setupDir = "/usr/local/lib/lifeline";

/**
 * Runs every step once per instance. A failing relay step does not stop the others (one broken
 * relay should not take the rest down), but fails the run so cloud-init reports an error. A
 * failing host step stops everything: without the firewall, no relay may start.
 */
const setupScript = `#!/bin/sh
failed=""
for step in ${setupDir}/steps/*.sh; do
  name=$(basename "$step" .sh)
  # Seconds per step in cloud-init's output, so a slow boot says which step was slow.
  started=$(cut -d' ' -f1 /proc/uptime)
  if sh -eu "$step"; then
    echo "lifeline: $name done in $(awk -v a="$started" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
  else
    echo "lifeline: $name FAILED" >&2
    failed="$failed $name"
    if [ "$name" = 00-host ]; then
      echo "lifeline: the host step failed (firewall, users or tuning): no relay was started" >&2
      break
    fi
  fi
done
if [ -n "$failed" ]; then
  echo "lifeline: setup failed:$failed" >&2
  exit 1
fi
echo "lifeline: setup complete"
`;

export interface HostStepSpec {
  sshEnabled: boolean;
  /** The node's fixed public address (reserved IP or EIP), which relays must not loop back to. */
  publicAddress: string;
  /** Relay users, created here so the firewall (which names their uids) sees them first. */
  users: ReadonlyArray<{ name: string; uid: number }>;
  shaping: boolean;
}

const nodeAddressDropIn = "/etc/systemd/system/lifeline-.service.d/50-node-addresses.conf";

/**
 * What only the node knows, for both walls. Relays may resolve names through the node's own
 * resolvers (/etc/resolv.conf, often a private address) and no other DNS server: the firewall's
 * resolver sets and the relay units' IP filters allow them. The node's own addresses (the public
 * one, the interfaces') are denied to the relay units: the firewall covers them with `fib`.
 */
function nodeAddressSetup(publicAddress: string): string[] {
  const ipv4 = "[0-9]{1,3}([.][0-9]{1,3}){3}";
  const ipv6 = "[0-9A-Fa-f:]*:[0-9A-Fa-f:]*";
  const nameservers = (pattern: string) =>
    `$(awk '$1 == "nameserver" { sub(/%.*/, "", $2); print $2 }' /etc/resolv.conf | grep -E '^${pattern}$' | paste -sd, -)`;
  return [
    "# The node's resolvers (the only DNS servers relays may use) and its own addresses.",
    `v4=${nameservers(ipv4)}`,
    `v6=${nameservers(ipv6)}`,
    `mkdir -p ${nftIncludeDir} /etc/systemd/system/lifeline-.service.d`,
    `: > ${nftIncludeDir}/resolvers.nft`,
    `if [ -n "$v4" ]; then echo "add element inet lifeline resolvers_v4 { $v4 }" >> ${nftIncludeDir}/resolvers.nft; fi`,
    `if [ -n "$v6" ]; then echo "add element inet lifeline resolvers_v6 { $v6 }" >> ${nftIncludeDir}/resolvers.nft; fi`,
    `own=$(ip -o addr show scope global | awk '{ sub(/[/].*/, "", $4); print $4 }' | xargs)`,
    `printf '[Service]\\nIPAddressDeny=%s\\n' "${publicAddress} $own" > ${nodeAddressDropIn}`,
    // An empty IPAddressAllow= would reset the units' allow-list (mtg's loopback metrics): only with addresses.
    `allow=$(echo "$v4 $v6" | tr , ' ' | xargs)`,
    `if [ -n "$allow" ]; then printf 'IPAddressAllow=%s\\n' "$allow" >> ${nodeAddressDropIn}; fi`,
  ];
}

function hostStep(spec: HostStepSpec): string {
  return [
    "# Packages are in: services may start again (unattended upgrades restart them).",
    "rm -f /usr/sbin/policy-rc.d",
    ...spec.users.map(
      (u) => `id -u ${u.name} >/dev/null 2>&1 || useradd --system --uid ${u.uid} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${u.name}`,
    ),
    "# Journal in RAM only; drop whatever an earlier boot stage persisted.",
    "rm -rf /var/log/journal",
    "systemctl restart systemd-journald",
    "systemctl disable --now rsyslog.service >/dev/null 2>&1 || true",
    ...nodeAddressSetup(spec.publicAddress),
    "systemctl enable nftables.service",
    "nft -f /etc/nftables.conf",
    "modprobe tcp_bbr 2>/dev/null || true",
    "# Some keys are read-only in containers; that must not fail a node.",
    'sysctl -q -p /etc/sysctl.d/90-lifeline.conf || echo "lifeline: some kernel settings were not applied" >&2',
    ...(spec.shaping ? ["systemctl daemon-reload", "systemctl enable --now lifeline-shaping.service"] : []),
    ...(spec.sshEnabled
      ? ["systemctl enable --now ssh.service"]
      : [
          "# No SSH: nothing to guess passwords against, nothing logging addresses.",
          "systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true",
          "systemctl mask ssh.service ssh.socket",
        ]),
    "",
  ].join("\n");
}

function relayStep(install: RelayInstall, user: string, port: number): string {
  return [
    ...install.privateFiles.flatMap((f) => [`chown root:${user} ${f}`, `chmod 0640 ${f}`]),
    ...install.setup,
    "systemctl daemon-reload",
    `systemctl enable ${install.unit.name}`,
    `systemctl restart ${install.unit.name}`,
    "# Done only when the relay accepts connections (looked at every 0.2 s, for at most 60 s).",
    "n=0",
    `until ss -Hltn 'sport = :${port}' | grep -q .; do`,
    "  n=$((n + 1))",
    `  if [ "$n" -ge 300 ]; then echo "lifeline: ${install.unit.name} is not listening on ${port}" >&2; exit 1; fi`,
    "  sleep 0.2",
    "done",
    "",
  ].join("\n");
}

/** A service the node runs after the host step: a relay, or a probe's listener. */
export interface ServiceStep {
  /** Names the step file: the relay kind, or `probe`. */
  name: string;
  /** The unprivileged user it runs as (owner group of its private files). */
  user: string;
  install: RelayInstall;
  /** The port it listens on once it runs. */
  port: number;
}

/** Relays as service steps. */
export function relaySteps(relays: ReadonlyArray<{ install: RelayInstall; port: number; relay: RelayKind<unknown> }>): ServiceStep[] {
  return relays.map((r) => ({ name: r.relay.kind, user: r.relay.user.name, install: r.install, port: r.port }));
}

/** The setup script and its steps: host first, then one step per service in config order. */
export function setupFiles(host: HostStepSpec, services: readonly ServiceStep[]): NodeFile[] {
  return [
    { path: `${setupDir}/setup.sh`, content: setupScript, permissions: "0755" },
    { path: `${setupDir}/steps/00-host.sh`, content: hostStep(host), permissions: "0644" },
    ...services.map((s, i) => ({
      path: `${setupDir}/steps/${String(i + 1).padStart(2, "0")}-${s.name}.sh`,
      content: relayStep(s.install, s.user, s.port),
      permissions: "0644",
    })),
  ];
}
