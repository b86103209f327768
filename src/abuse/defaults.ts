/**
 * Safe defaults for the abuse controls. Each list says what it stops; the README says what
 * each control costs.
 */

/** Where relay users may connect: the web. Relays add what they need themselves (Telegram's). */
export const defaultAllowedPorts = [80, 443];

/**
 * Always refused, even if an organizer widens the allow-list: mail (spam), BitTorrent's usual
 * ports and trackers, and the usual stratum ports of mining pools.
 */
export const defaultBlockedPorts = [
  // SMTP submission and relay.
  "25", "465", "587",
  // BitTorrent: the classic range, a common tracker port, Transmission's default.
  "6881-6999", "6969", "51413",
  // Mining pools (stratum).
  "3333-3336", "3357", "4444", "5555", "7777", "9999", "14433", "14444", "45560", "45700",
];

/**
 * New connections one client address may hold at once. Generous on purpose: people in a
 * shutdown sit behind carrier NAT, many to one address, and one Telegram user opens up to ~17.
 */
export const defaultMaxConnectionsPerClient = 2000;
