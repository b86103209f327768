import { encodeQuery } from "./query";

/** A Telegram link in both forms: `tg://` opens the app directly; `https://t.me/` works anywhere. */
export interface TelegramLinkPair {
  tg: string;
  tme: string;
}

function linkPair(path: "proxy" | "socks", query: string): TelegramLinkPair {
  return { tg: `tg://${path}?${query}`, tme: `https://t.me/${path}?${query}` };
}

/** Links that add an MTProto proxy to Telegram with one tap. */
export function telegramProxyLinks(server: string, port: number, secret: string): TelegramLinkPair {
  return linkPair("proxy", encodeQuery([["server", server], ["port", port], ["secret", secret]]));
}

/** Links that add a SOCKS5 proxy (with user and password) to Telegram with one tap. */
export function telegramSocksLinks(
  server: string,
  port: number,
  user: string,
  pass: string,
): TelegramLinkPair {
  return linkPair(
    "socks",
    encodeQuery([["server", server], ["port", port], ["user", user], ["pass", pass]]),
  );
}
