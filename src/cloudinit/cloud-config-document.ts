import { stringify } from "yaml";
import type { PlannedNode } from "../plan/types";
import type { NodeFile } from "../relays/types";
import { setupDir } from "./setup-steps";
import { sshLogin } from "./ssh-login";
import { addressWait } from "./wait-for-address";

function writeFile(file: NodeFile): Record<string, string> {
  return { path: file.path, content: file.content, permissions: file.permissions, owner: "root:root" };
}

/**
 * The `#cloud-config` every role shares around its packages and files: the AWS address wait,
 * packages, no password or root logins, SSH keys, the files, and the setup script.
 */
export function cloudConfigDocument(node: PlannedNode, address: string, packages: readonly string[], files: readonly NodeFile[]): string {
  const document: Record<string, unknown> = {
    ...addressWait(node.provider, address),
    package_update: true,
    packages,
    ssh_pwauth: false,
    disable_root: true,
    ...sshLogin(node.ssh),
    write_files: files.map(writeFile),
    runcmd: [["sh", `${setupDir}/setup.sh`]],
  };
  // Relay nodes keep the header they always had: new user data would replace every VM.
  const header = `#cloud-config\n# lifeline ${node.role === "probe" ? "probe" : "node"} ${node.name}: generated from the stack config; change that, not this.\n`;
  return header + stringify(document, { lineWidth: 0 });
}
