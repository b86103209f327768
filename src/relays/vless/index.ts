import { isIPv4 } from "node:net";
import { z } from "zod";
import { fetchVerifiedPath } from "../../cloudinit/fetch-verified";
import { shellQuote } from "../../cloudinit/shell";
import { vlessRealityLink } from "../../links/vless";
import { relayServiceUnit } from "../service-unit";
import type { RelayContext, RelayKind } from "../types";
import { visionFlow, xrayServerConfig } from "./config";
import { realityPrivateKey, realityPublicKey, realityShortId, vlessUserId } from "./keys";
import { pinnedXrayRelease, xrayAssetName, xrayAssetUrl, type XrayRelease } from "./release";

const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a lowercase DNS host name such as www.example.com",
  });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a sha256 in lowercase hex (64 characters)" });

const targetExample = "{ host: www.example.com, port: 443 }";

/** Leaves a 512 MiB node about 150 MiB beside Xray's 4000 tunnels (measured: 445 MiB for 5073). */
export const vlessDefaultMaxConnections = 4000;

const vlessOptions = z
  .strictObject({
    /**
     * The real HTTPS site a stranger (or a censor's probe) gets, handshake and certificate
     * passed through unchanged. It must speak TLS 1.3 with X25519 and HTTP/2.
     */
    target: z.strictObject(
      {
        host: z.union([z.ipv4(), hostName], { error: "must be the target's DNS host name (or IPv4 address), such as www.example.com" }),
        port: z.number().int().min(1).max(65535).default(443),
      },
      { error: `must be ${targetExample}` },
    ),
    /** Names a client may send as its SNI; the first is the one the links carry. Default: the target's host. */
    serverNames: z.array(hostName).min(1, { error: "must name at least one host the target answers for" }).optional(),
    /**
     * Tunnels at once; the node's firewall resets newcomers past it. Xray cannot refuse
     * connections itself, and a held tunnel costs it about 88 KiB: a 512 MiB node held 5073
     * before running out of memory (docs/benchmarks.md, "Relay capacity").
     */
    maxConnections: z.number().int().min(64).max(262144).default(vlessDefaultMaxConnections),
    /**
     * Another Xray-core release than the pinned one (an upgrade before lifeline ships it, or a
     * local build): its version and the sha256 of both zips, from the release's .dgst files.
     */
    release: z
      .strictObject({
        version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "must be a version such as 26.3.27" }),
        sha256: z.strictObject({ amd64: sha256, arm64: sha256 }),
      })
      .optional(),
  })
  .transform((o, ctx) => {
    const serverNames = o.serverNames ?? (isIPv4(o.target.host) ? undefined : [o.target.host]);
    if (serverNames === undefined) {
      ctx.addIssue({ code: "custom", path: ["serverNames"], message: "is required when the target is an IP address: the names its certificate is for" });
      return z.NEVER;
    }
    return { ...o, serverNames };
  });

export type VlessOptions = z.infer<typeof vlessOptions>;

const configPath = "/etc/lifeline/vless.json";
const user = { name: "lifeline-vless", uid: 64106 };

function releaseOf(ctx: RelayContext<VlessOptions>): XrayRelease {
  return ctx.options.release ?? pinnedXrayRelease;
}

function secret(ctx: RelayContext<VlessOptions>, name: string): string {
  const value = ctx.secrets[name];
  if (value === undefined) throw new Error(`vless relay needs its generated secret \`${name}\``);
  return value;
}

function xrayConfig(ctx: RelayContext<VlessOptions>): string {
  return xrayServerConfig({
    port: ctx.port,
    userId: vlessUserId(secret(ctx, "userId")),
    privateKey: realityPrivateKey(secret(ctx, "privateKey")),
    shortIds: [realityShortId(secret(ctx, "shortId"))],
    target: `${ctx.options.target.host}:${ctx.options.target.port}`,
    serverNames: ctx.options.serverNames,
  });
}

export const vlessRelay: RelayKind<VlessOptions> = {
  kind: "vless",
  title: "VLESS + REALITY (Xray-core)",
  optionsSchema: vlessOptions,
  example: `{ kind: vless, port: 443, options: { target: ${targetExample} } }`,
  secrets: [
    { name: "userId", form: "uuid", length: 36 },
    // Any 32 random bytes are an X25519 private key; the public key is derived from them.
    { name: "privateKey", form: "hex", length: 32 },
    { name: "shortId", form: "hex", length: 8 },
  ],
  user,
  transport: "encrypted",
  // The target is an HTTPS site; users' destinations follow the stack's allowed egress ports.
  egressTcpPorts: [443],
  planNotes(options) {
    const release = options.release ?? pinnedXrayRelease;
    const target = `${options.target.host}:${options.target.port}`;
    return [
      `vless target: ${target}, answering for ${options.serverNames.join(", ")}; strangers and probes get its own TLS handshake. ` +
        "It must speak TLS 1.3 with X25519 and HTTP/2 and not redirect to another name (not checked offline: " +
        `curl -sv --tlsv1.3 --http2 https://${options.serverNames[0]}/ should show TLSv1.3, X25519 and h2). ` +
        "A target whose address is far from the node's provider is easier to flag: choose a site hosted near the node",
      `vless: Xray ${release.version}; people need a recent app (v2rayNG, v2rayN, Hiddify, Happ or Streisand)`,
      ...(options.target.port === 443 ? [] : [`vless target port ${options.target.port}: the relay reaches it only if it is among the stack's allowed egress ports`]),
    ];
  },
  install(ctx) {
    const release = releaseOf(ctx);
    const asset = `/var/cache/lifeline/xray-${release.version}-${xrayAssetName(ctx.arch)}`;
    const extractDir = `/var/cache/lifeline/xray-${release.version}`;
    return {
      // Nothing to install: fetch-verified and the unzip below run on the image's python3.
      packages: [],
      files: [{ path: configPath, content: xrayConfig(ctx), permissions: "0640" }],
      privateFiles: [configPath],
      admissionLimit: ctx.options.maxConnections,
      setup: [
        `${fetchVerifiedPath} ${shellQuote(xrayAssetUrl(release, ctx.arch, ctx.artifactMirror))} ${shellQuote(release.sha256[ctx.arch])} ${shellQuote(asset)}`,
        // Only the binary: the zip's geo databases (30 MB) serve routing rules lifeline does not use.
        `python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("xray", sys.argv[2])' ${shellQuote(asset)} ${shellQuote(extractDir)}`,
        `install -m 0755 ${shellQuote(`${extractDir}/xray`)} /usr/local/bin/xray`,
      ],
      unit: {
        name: "lifeline-vless.service",
        content: relayServiceUnit({
          description: `lifeline relay: VLESS + REALITY (Xray ${release.version}) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/local/bin/xray run -config ${configPath}`,
        }),
      },
    };
  },
  links(ctx) {
    return {
      vless: vlessRealityLink({
        userId: vlessUserId(secret(ctx, "userId")),
        address: ctx.address,
        port: ctx.port,
        serverName: ctx.options.serverNames[0] as string,
        publicKey: realityPublicKey(secret(ctx, "privateKey")),
        shortId: realityShortId(secret(ctx, "shortId")),
        flow: visionFlow,
        label: ctx.label,
      }),
    };
  },
};
