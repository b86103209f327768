import { internalIpv4, internalIpv6 } from "../../abuse/internal-addresses";
import { unprivilegedSandbox } from "../service-unit";
import type { NodeFile } from "../types";
import { acmeClientScript } from "./acme-client-source";
import { ipCertificateProfile } from "./acme-directory";
import type { CertificateValidation } from "./certificate-validation";

/**
 * The ACME client's own user: not a relay user, so the node firewall leaves its egress (to the
 * CA) alone; its unit's own IP filter keeps it off internal addresses. Not the probe's 64110:
 * each service its own uid, or one's firewall rules would apply to the other.
 */
export const acmeUser = { name: "lifeline-acme", uid: 64120 };

const clientPath = "/usr/local/lib/lifeline/acme_client.py";
const configPath = "/etc/lifeline/https-certificate.json";
const installScriptPath = "/usr/local/lib/lifeline/install-https-certificate.sh";
const borrowRulesPath = "/usr/local/lib/lifeline/borrow-validation-port.nft";
const borrowTable = "inet lifeline_validation";

/**
 * When relays use both 80 and 443: new connections to 80 go to the ACME client instead of the
 * relay there, only while the table exists (the seconds the CA validates). Open connections
 * keep their relay: NAT is decided once per connection.
 */
function borrowRules(validation: CertificateValidation): string {
  return `table ${borrowTable} {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    tcp dport ${validation.port} redirect to :${validation.listenPort}
  }
}
`;
}
/** The certificate in use; `current` moves to each new one at once (a symlink replaced by rename). */
export const certificateDir = "/etc/lifeline/https-certificate/current";
export const certificateUnit = "lifeline-https-certificate.service";
export const certificateTimer = "lifeline-https-certificate.timer";

// Root, after each new certificate: a copy the proxy's user can read, switched in at once, and a
// reload (squid -k reconfigure by signal) so the running proxy uses it from its next connection.
// squid closes its listening socket for a moment while it reconfigures, and a connection arriving
// then would be refused: for that moment new connections' SYNs are dropped instead, so clients
// retransmit (about a second later) and get in. Open connections are untouched.
function installScript(relayUser: string, relayUnit: string, relayPort: number): string {
  return `#!/bin/sh
# Installs the certificate the ACME client just got and has the running proxy pick it up.
set -eu
# The unit's UMask (0077) applies here too; the proxy's user must traverse these folders.
umask 022
from=/var/lib/${acmeUser.name}/issued
to=$(dirname ${certificateDir})
stamp=$(date +%Y%m%d%H%M%S)
install -d -m 0755 "$to" "$to/$stamp"
install -m 0640 -o root -g ${relayUser} "$from/key.pem" "$to/$stamp/key.pem"
install -m 0644 -o root -g ${relayUser} "$from/fullchain.pem" "$to/$stamp/fullchain.pem"
ln -sfn "$stamp" "$to/current.new"
mv -T "$to/current.new" "$to/current"
find "$to" -mindepth 1 -maxdepth 1 -type d ! -name "$stamp" -exec rm -rf {} +
if ! systemctl is-active --quiet ${relayUnit}; then
  # First boot, or no certificate until now: start it.
  systemctl start ${relayUnit}
  exit 0
fi
listener() { ss -Hltne 'sport = :${relayPort}' | grep -o 'ino:[0-9]*' | head -n 1; }
# Whatever happens below, new connections are let in again on the way out.
unblock() {
  for h in $(nft -a list chain inet lifeline input | sed -n 's/.*"certificate reload".*# handle \\([0-9]*\\)$/\\1/p'); do
    nft delete rule inet lifeline input handle "$h"
  done
}
trap unblock EXIT
before=$(listener)
nft insert rule inet lifeline input tcp dport ${relayPort} ct state new drop comment '"certificate reload"'
systemctl reload ${relayUnit}
# Done when squid listens again, on a new socket (at most 10 s).
n=0
while [ "$(listener)" = "$before" ] || [ -z "$(listener)" ]; do
  n=$((n + 1))
  if [ "$n" -ge 100 ]; then break; fi
  sleep 0.1
done
`;
}

function certificateService(validation: CertificateValidation): string {
  // The state (account key, issued certificate) goes to $STATE_DIRECTORY, which systemd sets.
  const client = (command: "due" | "order" | "answer" | "finish") => `/usr/bin/python3 ${clientPath} ${command} ${configPath}`;
  // The node firewall sees the port the client listens on (after the redirect, when borrowing).
  const nftSet = `inet lifeline validation_ports { ${validation.listenPort} }`;
  const borrowing = validation.listenPort !== validation.port;
  // Opened (and, when borrowing, redirected) right before the client answers the CA, closed
  // right after: the account and order before, the key and certificate after, go without them.
  const open = [`ExecStart=+/usr/sbin/nft add element ${nftSet}`, ...(borrowing ? [`ExecStart=+/usr/sbin/nft -f ${borrowRulesPath}`] : [])];
  const close = (directive: "ExecStart" | "ExecStopPost") => [
    `${directive}=-+/usr/sbin/nft delete element ${nftSet}`,
    ...(borrowing ? [`${directive}=-+/usr/sbin/nft delete table ${borrowTable}`] : []),
  ];
  return [
    "[Unit]",
    "Description=lifeline: certificate for the HTTPS proxy's address, from an ACME CA",
    "Requires=nftables.service",
    "After=network-online.target nftables.service",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    `User=${acmeUser.name}`,
    `Group=${acmeUser.name}`,
    `StateDirectory=${acmeUser.name}`,
    "StateDirectoryMode=0700",
    // Hourly checks cost a second: only a due certificate (none, half its life gone, forced) runs the rest.
    `ExecCondition=${client("due")}`,
    `ExecStart=${client("order")}`,
    ...open,
    `ExecStart=${client("answer")}`,
    ...close("ExecStart"),
    `ExecStart=${client("finish")}`,
    `ExecStartPost=+${installScriptPath}`,
    // A failed step skips the rest: the port closes and the redirect goes all the same.
    ...close("ExecStopPost"),
    "TimeoutStartSec=15min",
    // One thread answers the CA whatever a stranger sends; openssl runs one at a time.
    "TasksMax=16",
    // Port 80 or 443 for the validation, and nothing else a root process could do.
    ...unprivilegedSandbox(["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"]),
    // The CA only: never the metadata service (it serves the user data, every secret), loopback or
    // internal networks. A drop-in adds the node's own addresses and allows its resolvers.
    `IPAddressDeny=${[...internalIpv4, ...internalIpv6].join(" ")}`,
    "",
  ].join("\n");
}

// Hourly, spread out: renewal is due after half of the certificate's life (80 of Let's Encrypt's
// 160 hours), so a CA outage of up to three days passes without the proxy going dark.
const certificateTimerUnit = `[Unit]
Description=lifeline: check hourly whether the HTTPS proxy's certificate is due

[Timer]
OnCalendar=hourly
RandomizedDelaySec=50min
Persistent=true

[Install]
WantedBy=timers.target
`;

export interface CertificateSpec {
  directory: string;
  address: string;
  validation: CertificateValidation;
  relayUser: string;
  relayUnit: string;
  relayPort: number;
}

/** The client, its settings, its units and the root step that installs what it gets. */
export function certificateFiles(spec: CertificateSpec): NodeFile[] {
  const config = {
    directory: spec.directory,
    address: spec.address,
    profile: ipCertificateProfile,
    challenge: spec.validation.challenge,
    port: spec.validation.listenPort,
  };
  const borrowing = spec.validation.listenPort !== spec.validation.port;
  return [
    { path: clientPath, content: acmeClientScript, permissions: "0755" },
    { path: configPath, content: `${JSON.stringify(config, null, 2)}\n`, permissions: "0644" },
    { path: installScriptPath, content: installScript(spec.relayUser, spec.relayUnit, spec.relayPort), permissions: "0755" },
    { path: `/etc/systemd/system/${certificateUnit}`, content: certificateService(spec.validation), permissions: "0644" },
    { path: `/etc/systemd/system/${certificateTimer}`, content: certificateTimerUnit, permissions: "0644" },
    ...(borrowing ? [{ path: borrowRulesPath, content: borrowRules(spec.validation), permissions: "0644" }] : []),
  ];
}

/**
 * First boot: the ACME user, the hourly timer, then the first certificate, tried three times
 * (a reserved IP can take a moment to reach a new VM). If all fail, the step fails, cloud-init
 * says so, and the timer keeps trying: the proxy starts with the first certificate it gets.
 */
export function firstCertificateSetup(relayUnit: string): string[] {
  return [
    `id -u ${acmeUser.name} >/dev/null 2>&1 || useradd --system --uid ${acmeUser.uid} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${acmeUser.name}`,
    "systemctl daemon-reload",
    `systemctl enable ${relayUnit} ${certificateTimer}`,
    `systemctl start ${certificateTimer}`,
    "n=0",
    `until systemctl start ${certificateUnit}; do`,
    "  n=$((n + 1))",
    `  if [ "$n" -ge 3 ]; then echo "lifeline: no certificate yet; the hourly retry starts the proxy once it gets one (journalctl -u ${certificateUnit})" >&2; exit 1; fi`,
    "  sleep $((n * 30))",
    "done",
  ];
}
