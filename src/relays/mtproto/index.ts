import { z } from "zod";
import { telegramProxyLinks } from "../../links/telegram";
import { relayServiceUnit } from "../service-unit";
import type { RelayContext, RelayKind } from "../types";
import { fetchVerifiedPath } from "../../cloudinit/fetch-verified";
import { shellQuote } from "../../cloudinit/shell";
import { mtgConfigToml, mtgEffectiveConcurrency } from "./config";
import { mtgAssetName, mtgAssetUrl, pinnedMtgRelease, type MtgRelease } from "./release";
import { fakeTlsSecret } from "./secret";

const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a lowercase DNS host name such as www.cloudflare.com",
  });

/** The site mtg imitates unless a stack chooses another (docs/node.md, "Choosing a fronting host"). */
export const defaultFrontingHost = "www.cloudflare.com";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a sha256 in lowercase hex (64 characters)" });

const mtprotoOptions = z.strictObject({
  /** The HTTPS site the proxy imitates (FakeTLS); probes that fail the handshake are sent there. */
  frontingHost: hostName.default(defaultFrontingHost),
  /** Connections served at once; others are dropped (mtg before 2.2.4 always serves 4096). */
  maxConnections: z.number().int().min(64).max(262144).default(8192),
  /**
   * The DNS-over-HTTPS resolver mtg uses to find the fronting host (it never asks the system's).
   * Change it if Quad9 is unreachable from the node's cloud.
   */
  dnsOverHttpsIp: z.ipv4({ error: "must be an IPv4 address such as 9.9.9.9 (a DNS-over-HTTPS resolver)" }).default("9.9.9.9"),
  /**
   * Another mtg release than the pinned one (an upgrade before lifeline ships it, or a local
   * build): its version and the sha256 of both tarballs, from the release's checksums file.
   */
  release: z
    .strictObject({
      version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, { error: "must be a version such as 2.2.8" }),
      sha256: z.strictObject({ amd64: sha256, arm64: sha256 }),
    })
    .optional(),
});

export type MtprotoOptions = z.infer<typeof mtprotoOptions>;

const configPath = "/etc/lifeline/mtproto.toml";
const user = { name: "lifeline-mtproto", uid: 64101 };

function secretOf(ctx: RelayContext<MtprotoOptions>): string {
  const key = ctx.secrets["key"];
  if (key === undefined) throw new Error("mtproto relay needs its generated secret `key`");
  return fakeTlsSecret(key, ctx.options.frontingHost);
}

function releaseOf(ctx: RelayContext<MtprotoOptions>): MtgRelease {
  return ctx.options.release ?? pinnedMtgRelease;
}

function mtgConfig(ctx: RelayContext<MtprotoOptions>): string {
  return mtgConfigToml({
    secret: secretOf(ctx),
    port: ctx.port,
    maxConnections: ctx.options.maxConnections,
    dnsOverHttpsIp: ctx.options.dnsOverHttpsIp,
    version: releaseOf(ctx).version,
  });
}

export const mtprotoRelay: RelayKind<MtprotoOptions> = {
  kind: "mtproto",
  title: "Telegram MTProto proxy (mtg)",
  optionsSchema: mtprotoOptions,
  example: "{ kind: mtproto, port: 443, options: { frontingHost: www.cloudflare.com } }",
  secrets: [{ name: "key", form: "hex", length: 16 }],
  user,
  transport: "encrypted",
  // Telegram's data centres listen on 443, 80 and 5222.
  egressTcpPorts: [443, 80, 5222],
  planNotes(options) {
    const release = options.release ?? pinnedMtgRelease;
    const concurrency = mtgEffectiveConcurrency(release.version, options.maxConnections);
    return [
      `mtproto fronting host: ${options.frontingHost}${options.frontingHost === defaultFrontingHost ? " (the default, shared by every stack that keeps it)" : ""}; ` +
        "probes with a wrong secret are sent there. DPI can notice a name that does not belong to the node's address: " +
        'choose one per stack (docs/node.md, "Choosing a fronting host")',
      `mtproto: mtg ${release.version}, at most ${concurrency} connections at once${concurrency < options.maxConnections ? ` (this mtg ignores maxConnections ${options.maxConnections})` : ""}`,
    ];
  },
  install(ctx) {
    const release = releaseOf(ctx);
    const asset = `/var/cache/lifeline/${mtgAssetName(release, ctx.arch)}`;
    return {
      // Nothing to install: fetch-verified runs on the python3 every cloud-init image has.
      packages: [],
      files: [{ path: configPath, content: mtgConfig(ctx), permissions: "0640" }],
      privateFiles: [configPath],
      setup: [
        `${fetchVerifiedPath} ${shellQuote(mtgAssetUrl(release, ctx.arch, ctx.artifactMirror))} ${shellQuote(release.sha256[ctx.arch])} ${shellQuote(asset)}`,
        `tar -xzf ${shellQuote(asset)} -C /var/cache/lifeline`,
        `install -m 0755 ${shellQuote(`/var/cache/lifeline/mtg-${release.version}-linux-${ctx.arch}/mtg`)} /usr/local/bin/mtg`,
      ],
      unit: {
        name: "lifeline-mtproto.service",
        content: relayServiceUnit({
          description: `lifeline relay: Telegram MTProto proxy (mtg ${release.version}) on port ${ctx.port}`,
          user: user.name,
          execStart: `/usr/local/bin/mtg run ${configPath}`,
          // Its usage counters are read over loopback (127.0.0.1:3129); mtg itself only dials
          // Telegram, its fronting site and its DNS-over-HTTPS resolver, none chosen by users.
          extraAllowedAddresses: ["127.0.0.1"],
        }),
      },
    };
  },
  links(ctx) {
    const pair = telegramProxyLinks(ctx.address, ctx.port, secretOf(ctx));
    return { telegram: pair.tg, telegramWeb: pair.tme };
  },
};
