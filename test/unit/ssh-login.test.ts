import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudConfig } from "../../src/cloudinit/render";
import { sshLoginUser } from "../../src/cloudinit/ssh-login";
import { baseFleet, fixedSecrets } from "./support/fixtures";
import { cloudInitSchema } from "./support/cloud-init-schema";
import { planOf } from "./support/load";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2h volunteer@laptop";

function documentFor(provider: "digitalocean" | "aws", sshEnabled: boolean) {
  const fleet = baseFleet();
  fleet.groups = [{ provider, regions: [provider === "aws" ? "eu-north-1" : "fra1"], nodesPerRegion: 1 }];
  if (sshEnabled) fleet.ssh = { enabled: true, publicKeys: [key] };
  const text = renderCloudConfig({ node: planOf(fleet).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets });
  return { text, document: parse(text) };
}

describe.each(["digitalocean", "aws"] as const)("SSH logins on %s", (provider) => {
  it(`go to one named user, ${sshLoginUser}, with the keys only and sudo, never to root`, () => {
    const { text, document } = documentFor(provider, true);
    expect(cloudInitSchema(text).valid).toBe(true);
    expect(document.disable_root).toBe(true);
    expect(document.ssh_pwauth).toBe(false);
    // Keys on the user itself: cloud-init gives top-level keys to the image's default user, which differs per image.
    expect(document.ssh_authorized_keys).toBeUndefined();
    expect(document.users).toEqual([
      expect.objectContaining({ name: "admin", lock_passwd: true, sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: [key] }),
    ]);
  });

  it("create no login user when SSH is off", () => {
    expect(documentFor(provider, false).document.users).toBeUndefined();
  });
});
