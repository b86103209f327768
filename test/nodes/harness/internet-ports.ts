/**
 * What the stand-in "internet" host behind the node serves. Relays and egress filters under
 * test are judged by which of these the node can or cannot reach.
 */
export const INTERNET_PORTS = {
  /** Plain HTTP serving KNOWN_PAGE. */
  http: 80,
  /** The same HTTP server on 443 (no TLS): lets egress tests tell "443 allowed" from "blocked". */
  https: 443,
  /** Echoes every byte back. */
  echo: 7,
  /** Prints SMTP_BANNER on connect, like a mail server a spammer would use. */
  smtp: 25,
  /** Stand-in for a crypto mining pool (stratum): prints a line on connect. */
  miningPool: 3333,
  /** Stand-in for a BitTorrent peer: echoes. */
  bittorrent: 6881,
  /** A DNS server that is not the node's resolver: TCP prints DNS_BANNER, UDP echoes. */
  dns: 53,
} as const;

export const KNOWN_PAGE = "<html><body>lifeline test internet page</body></html>\n";
export const SMTP_BANNER = "220 internet.test ESMTP lifeline-test";
export const MINING_POOL_BANNER = '{"id":null,"method":"mining.notify","params":[]}';
export const DNS_BANNER = "not-the-node-resolver";
