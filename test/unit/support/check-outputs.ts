import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixedSecrets } from "./fixtures";

/**
 * Outputs of one node at 127.0.0.1 whose mtproto, socks5, http and shadowsocks links point at
 * `ports` (in that order) with the fixtures' secrets, written to `<dir>/<name>.json`.
 */
export function loopbackOutputs(dir: string, name: string, ports: readonly number[]): string {
  const [mt, socks, http, ss] = ports;
  const { socks5, http: web, shadowsocks, mtproto } = fixedSecrets;
  const links = {
    mtproto: {
      transport: "encrypted",
      telegram: `tg://proxy?server=127.0.0.1&port=${mt}&secret=ee${mtproto.key}7777772e636c6f7564666c6172652e636f6d`,
      telegramWeb: `https://t.me/proxy?server=127.0.0.1&port=${mt}&secret=ee${mtproto.key}7777772e636c6f7564666c6172652e636f6d`,
    },
    socks5: {
      transport: "plaintext",
      warning: "plaintext",
      telegram: `tg://socks?server=127.0.0.1&port=${socks}&user=${socks5.username}&pass=${socks5.password}`,
      telegramWeb: `https://t.me/socks?server=127.0.0.1&port=${socks}&user=${socks5.username}&pass=${socks5.password}`,
    },
    http: { transport: "plaintext", warning: "plaintext", host: "127.0.0.1", port: String(http), user: web.username, password: web.password },
    shadowsocks: { transport: "private-link", accessKey: `ss://${Buffer.from(`chacha20-ietf-poly1305:${shadowsocks.password}`).toString("base64url")}@127.0.0.1:${ss}#fra1-0` },
  };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ nodes: [{ name: "do-fra1-0", provider: "digitalocean", region: "fra1", size: "s-1vcpu-512mb-10gb", address: "127.0.0.1", links }] }));
  return path;
}
