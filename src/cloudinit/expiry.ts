import type { ProviderName } from "../catalog";
import type { PlannedNode } from "../plan/types";
import type { NodeFile } from "../relays/types";

const scriptPath = "/usr/local/lib/lifeline/expire.sh";
export const expiryTimer = "lifeline-expiry.timer";

/**
 * What a node does when its stack expires, per cloud: whatever keeps a bill going must stop.
 * AWS: the instance powers itself off, and its shutdown behaviour (`terminate`) ends it; the
 * Elastic IP bills until `pulumi destroy`. DigitalOcean bills a powered-off droplet like a
 * running one, so powering off saves nothing: the relays stop, and the droplet waits for
 * `pulumi destroy`.
 */
export const expiryActions: Readonly<Record<ProviderName, { says: string; commands: (relayUnits: readonly string[]) => string[] }>> = {
  digitalocean: {
    says: "relays stopped; the droplet keeps billing until pulumi destroy",
    commands: (units) => stopRelays(units),
  },
  aws: {
    says: "relays stopped, powering off: the instance terminates (its Elastic IP bills until pulumi destroy)",
    commands: (units) => [...stopRelays(units), "systemctl poweroff"],
  },
};

// Masked in /run: a unit file in /etc cannot be masked there, and the timer repeats this after boot.
function stopRelays(units: readonly string[]): string[] {
  return units.length === 0 ? [] : [`systemctl disable --now ${units.join(" ")}`, `systemctl mask --runtime ${units.join(" ")}`];
}

/** `2027-02-01T00:00:00Z` as systemd's calendar spec, in UTC whatever the node's zone. */
export function systemdCalendar(instant: string): string {
  return `${instant.slice(0, 10)} ${instant.slice(11, 19)} UTC`;
}

function expireScript(node: PlannedNode, relayUnits: readonly string[]): string {
  const action = expiryActions[node.provider];
  const epoch = Math.floor(Date.parse(node.expiresAt) / 1000);
  return [
    "#!/bin/sh",
    `# At the stack's expiry (${node.expiresAt}), and after every boot once it has passed:`,
    `# ${action.says}.`,
    "set -u",
    `[ "$(date -u +%s)" -ge ${epoch} ] || exit 0`,
    `echo "lifeline: the stack expired at ${node.expiresAt}: ${action.says}"`,
    ...action.commands(relayUnits),
    "",
  ].join("\n");
}

/**
 * The timer, its service and script, and the last setup step, which starts the timer once every
 * relay step has run (so a node that boots after its expiry never ends up serving).
 */
export function expiryFiles(node: PlannedNode, relayUnits: readonly string[], stepsDir: string): NodeFile[] {
  const timer = [
    "[Unit]",
    "Description=Stop serving when the stack expires",
    "",
    "[Timer]",
    `OnCalendar=${systemdCalendar(node.expiresAt)}`,
    // Also after every boot: the script acts only once the moment has passed.
    "OnBootSec=30s",
    "AccuracySec=1s",
    "Persistent=true",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  const service = ["[Unit]", "Description=Stop serving when the stack expires", "", "[Service]", "Type=oneshot", `ExecStart=/bin/sh ${scriptPath}`, ""].join("\n");
  return [
    { path: scriptPath, content: expireScript(node, relayUnits), permissions: "0755" },
    { path: "/etc/systemd/system/lifeline-expiry.service", content: service, permissions: "0644" },
    { path: `/etc/systemd/system/${expiryTimer}`, content: timer, permissions: "0644" },
    { path: `${stepsDir}/99-expiry.sh`, content: `systemctl daemon-reload\nsystemctl enable --now ${expiryTimer}\n`, permissions: "0644" },
  ];
}
