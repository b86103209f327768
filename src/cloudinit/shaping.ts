import type { NodeFile } from "../relays/types";

const scriptPath = "/usr/local/lib/lifeline/shape-bandwidth.sh";

/**
 * Caps every outbound interface at `mbit` with an HTB class; fq keeps flows fair inside it
 * where the kernel has it. Run by a oneshot unit so the cap returns after a reboot.
 */
export function shapingFiles(mbit: number): NodeFile[] {
  const script = [
    "#!/bin/sh",
    "set -eu",
    "for path in /sys/class/net/*; do",
    '  dev=$(basename "$path")',
    '  [ "$dev" = lo ] && continue',
    '  tc qdisc replace dev "$dev" root handle 1: htb default 10',
    `  tc class replace dev "$dev" parent 1: classid 1:10 htb rate ${mbit}mbit ceil ${mbit}mbit`,
    '  tc qdisc replace dev "$dev" parent 1:10 fq 2>/dev/null || true',
    "done",
    "",
  ].join("\n");
  const unit = [
    "[Unit]",
    `Description=lifeline: cap outbound bandwidth at ${mbit} Mbit/s`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${scriptPath}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
  return [
    { path: scriptPath, content: script, permissions: "0755" },
    { path: "/etc/systemd/system/lifeline-shaping.service", content: unit, permissions: "0644" },
  ];
}
