/**
 * The user organizers log in as when `ssh.enabled`, the same on every cloud: Debian's AWS
 * images call their default user `admin`, DigitalOcean's images log in as root, and the stock
 * Debian cloud.cfg says `debian`. lifeline turns root logins off (`disable_root`), and
 * cloud-init then puts the keys only on the image's default user; on an image without one,
 * root's keys say "Please login as the user NONE" and nobody gets in. Naming the user here
 * makes it one user on every image: the docs can name it, and it cannot silently vanish.
 */
export const sshLoginUser = "admin";

export interface SshSettings {
  enabled: boolean;
  publicKeys: readonly string[];
}

/** cloud-config keys for SSH logins: none when SSH is off (sshd is masked then). */
export function sshLogin(ssh: SshSettings): { users?: Array<Record<string, unknown>> } {
  if (!ssh.enabled) return {};
  return {
    users: [
      {
        name: sshLoginUser,
        gecos: "node administrator",
        shell: "/bin/bash",
        // No password at all: keys only (ssh_pwauth is off too).
        lock_passwd: true,
        // To look inside a node (journalctl, systemctl) an organizer needs root.
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        ssh_authorized_keys: [...ssh.publicKeys],
      },
    ],
  };
}
