import { z } from "zod";
import { telegramSocksLinks } from "../links/telegram";
import { relayServiceUnit } from "./service-unit";
import type { RelayKind } from "./types";
import { userPassword, userPasswordSecrets } from "./user-password";

const socks5Options = z.strictObject({});
export type Socks5Options = z.infer<typeof socks5Options>;

const envPath = "/etc/lifeline/socks5.env";
const user = { name: "lifeline-socks5", uid: 64102 };

/** SOCKS5 with user and password, served by Debian's microsocks (one user, tiny, threaded). */
export const socks5Relay: RelayKind<Socks5Options> = {
  kind: "socks5",
  title: "SOCKS5 proxy with password (microsocks)",
  optionsSchema: socks5Options,
  example: "{ kind: socks5, port: 8443 }",
  secrets: userPasswordSecrets,
  user,
  transport: "plaintext",
  egressTcpPorts: [],
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
