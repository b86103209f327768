import { z } from "zod";
import { telegramSocksLinks } from "../links/telegram";
import { relayServiceUnit } from "./service-unit";
import type { RelayKind } from "./types";
import { userPassword, userPasswordSecrets } from "./user-password";

/**
 * microsocks starts a thread per tunnel and cannot refuse one: each costs about 38 KiB of kernel
 * and stack memory (`npm run bench:relays`), and the kernel kills it, with every tunnel on it,
 * when a small VM runs out. 4000 tunnels are about 150 MiB of a 512 MiB node.
 */
export const socks5DefaultMaxConnections = 4000;

const socks5Options = z.strictObject({
  /** Tunnels at once; the node's firewall resets newcomers past it. */
  maxConnections: z.number().int().min(16).max(65536).default(socks5DefaultMaxConnections),
});
export type Socks5Options = z.infer<typeof socks5Options>;

const envPath = "/etc/lifeline/socks5.env";
const user = { name: "lifeline-socks5", uid: 64102 };

/** SOCKS5 with user and password, served by Debian's microsocks (one user, tiny, threaded). */
export const socks5Relay: RelayKind<Socks5Options> = {
  kind: "socks5",
  title: "SOCKS5 proxy with password (microsocks)",
  optionsSchema: socks5Options,
  example: "{ kind: socks5, port: 8443, options: { maxConnections: 4000 } }",
  secrets: userPasswordSecrets,
  user,
  transport: "plaintext",
  egressTcpPorts: [],
  planNotes(options) {
    return [`socks5: at most ${options.maxConnections} tunnels at once (microsocks runs a thread per tunnel; the firewall resets newcomers past that)`];
  },
  install(ctx) {
    const { user: name, pass } = userPassword("socks5", ctx);
    return {
      packages: ["microsocks"],
      // Credentials live in a root-only file that systemd reads, not in the world-readable unit.
      files: [
        { path: envPath, content: `SOCKS_USER=${name}\nSOCKS_PASS=${pass}\n`, permissions: "0600" },
      ],
      privateFiles: [],
      setup: [],
      admissionLimit: ctx.options.maxConnections,
      unit: {
        name: "lifeline-socks5.service",
        content: relayServiceUnit({
          description: `lifeline relay: SOCKS5 proxy (microsocks) on port ${ctx.port}`,
          user: user.name,
          environmentFile: envPath,
          execStart: `/usr/bin/microsocks -i 0.0.0.0 -p ${ctx.port} -u \${SOCKS_USER} -P \${SOCKS_PASS}`,
          extraAddressFamilies: ["AF_NETLINK"],
          threadPerConnection: true,
        }),
      },
    };
  },
  links(ctx) {
    const { user: name, pass } = userPassword("socks5", ctx);
    const pair = telegramSocksLinks(ctx.address, ctx.port, name, pass);
    return {
      telegram: pair.tg,
      telegramWeb: pair.tme,
      socks5: `socks5h://${encodeURIComponent(name)}:${encodeURIComponent(pass)}@${ctx.address}:${ctx.port}`,
    };
  },
};
