import type { NodeFile, RelayInstall, RelayKind } from "../relays/types";

export const setupDir = "/usr/local/lib/lifeline";

/**
 * Runs every step once per instance. A failing step does not stop the others (one broken
 * relay should not take the rest down), but fails the run so cloud-init reports an error.
 */
const setupScript = `#!/bin/sh
failed=""
for step in ${setupDir}/steps/*.sh; do
  name=$(basename "$step" .sh)
  if sh -eu "$step"; then
    echo "lifeline: $name done"
  else
    echo "lifeline: $name FAILED" >&2
    failed="$failed $name"
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
  /** Relay users, created here so the firewall (which names their uids) sees them first. */
  users: ReadonlyArray<{ name: string; uid: number }>;
  shaping: boolean;
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
    "# Done only when the relay accepts connections.",
    "n=0",
    `until ss -Hltn 'sport = :${port}' | grep -q .; do`,
    "  n=$((n + 1))",
    `  if [ "$n" -ge 60 ]; then echo "lifeline: ${install.unit.name} is not listening on ${port}" >&2; exit 1; fi`,
    "  sleep 1",
    "done",
    "",
  ].join("\n");
}

/** The setup script and its steps: host first, then one step per relay in config order. */
export function setupFiles(
  host: HostStepSpec,
  relays: ReadonlyArray<{ install: RelayInstall; port: number; relay: RelayKind<unknown> }>,
): NodeFile[] {
  return [
    { path: `${setupDir}/setup.sh`, content: setupScript, permissions: "0755" },
    { path: `${setupDir}/steps/00-host.sh`, content: hostStep(host), permissions: "0644" },
    ...relays.map((r, i) => ({
      path: `${setupDir}/steps/${String(i + 1).padStart(2, "0")}-${r.relay.kind}.sh`,
      content: relayStep(r.install, r.relay.user.name, r.port),
      permissions: "0644",
    })),
  ];
}
