import { userDataBytes, userDataLimits } from "../cloudinit/encode";
import { renderCloudConfig } from "../cloudinit/render";
import { issueAt, type ConfigIssue } from "../config/issues";
import { relayKind } from "../relays/registry";
import type { NodeSecrets } from "../relays/context";
import type { FleetPlan, PlannedNode } from "./types";

/** The longest IPv4 address a reserved IP or EIP can have. */
const longestAddress = "255.255.255.255";

/** 32 hex digits written as a version-4 UUID. */
function uuidShaped(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Secrets of the real length and alphabet, as random as real ones (gzip cannot shrink them
 * either), from a fixed seed so a plan is a pure function of its config.
 */
function lookalikeSecrets(node: PlannedNode): NodeSecrets {
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  const alphabets = { hex: "0123456789abcdef", alphanumeric: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", lowercase: "abcdefghijklmnopqrstuvwxyz0123456789" };
  return Object.fromEntries(
    node.relays.map((relay) => [
      relay.kind,
      Object.fromEntries(
        relayKind(relay.kind).secrets.map((spec) => {
          const alphabet = alphabets[spec.form === "uuid" ? "hex" : spec.form];
          const length = spec.form === "hex" ? spec.length * 2 : spec.form === "uuid" ? 32 : spec.length;
          const value = Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
          return [spec.name, spec.form === "uuid" ? uuidShaped(value) : value];
        }),
      ),
    ]),
  );
}

/**
 * Nodes whose user data would not fit their cloud (AWS: 16 KB gzipped), found by rendering it
 * now: `plan` and `pulumi up` refuse the config before anything is created, instead of failing
 * halfway through `pulumi up`. Nodes of one provider and architecture differ only in their
 * names, so the longest-named one of each stands for all.
 */
export function userDataIssues(plan: FleetPlan): ConfigIssue[] {
  const longestNamed = new Map<string, PlannedNode>();
  for (const node of plan.nodes) {
    const key = `${node.provider}/${node.arch}`;
    if ((longestNamed.get(key)?.name.length ?? -1) < node.name.length) longestNamed.set(key, node);
  }
  const issues: ConfigIssue[] = [];
  for (const node of longestNamed.values()) {
    const limit = userDataLimits[node.provider];
    const document = renderCloudConfig({ node, address: longestAddress, secrets: lookalikeSecrets(node) });
    // A margin for the few bytes gzip may differ by with the real secrets.
    const bytes = userDataBytes(node.provider, document) + 32;
    if (bytes > limit.maxBytes) {
      issues.push(
        issueAt(
          ["relays"],
          `${node.provider} nodes' user data would be about ${bytes} bytes${limit.gzip ? " gzipped" : ""}, over ${node.provider}'s limit of ${limit.maxBytes}: ` +
            `use fewer or shorter SSH keys (ed25519 keys are short), or fewer relays`,
        ),
      );
    }
  }
  return issues;
}
