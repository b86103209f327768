import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const repoRoot = join(__dirname, "..", "..", "..");
export const today = "2026-11-25";

/** The raw `lifeline:fleet` value of a stack file in stacks/. */
export function stackFleet(stack: string): Record<string, any> {
  const text = readFileSync(join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), "utf8");
  return structuredClone(parse(text).config["lifeline:fleet"]);
}

/** A small valid fleet to mutate in tests. */
export function baseFleet(): Record<string, any> {
  return {
    volunteer: "Test volunteer",
    openPorts: [443, 80, 8443],
    relays: [
      { kind: "mtproto", port: 443 },
      { kind: "socks5", port: 8443 },
    ],
    groups: [{ provider: "digitalocean", regions: ["fra1"], nodesPerRegion: 1 }],
    budgetPerDay: 5,
    expires: "2027-01-31",
  };
}

/**
 * Account limits far above any test fleet, and every opt-in region enabled: for tests whose
 * subject is not quotas (quota checks have their own tests).
 */
export function raisedQuotas(): Record<string, any> {
  return {
    digitalocean: { reservedIps: 1000, droplets: 1000 },
    aws: { elasticIpsPerRegion: 1000, vcpusPerRegion: 1000, optInRegions: ["eu-central-2", "eu-south-1", "me-central-1", "me-south-1", "il-central-1"] },
  };
}

/** Secrets of the shape Pulumi generates, fixed so tests can assert exact output. */
export const fixedSecrets = {
  mtproto: { key: "00112233445566778899aabbccddeeff" },
  socks5: { username: "k3yuser0ab", password: "Zx9PqL2mN8vB4cR7tY1wE5uI" },
  http: { username: "webuser0cd", password: "Hq7WmZ2xK9pL4vN8cB3rT6yU" },
  https: { username: "tlsuser0ef", password: "Tl5PrXy8Qw2Er4Ty6Ui9Op1A" },
  shadowsocks: { password: "S5sPw0rdAbCdEfGhIjKlMnOpQrStUvWx" },
  vless: { userId: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", privateKey: "a0".repeat(32), shortId: "0123456789abcdef" },
};

export const exampleStacks = ["example-do", "example-aws"] as const;
