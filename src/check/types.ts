/** Where tunnels are opened to through a relay: a site every relay may reach. */
export interface CheckTarget {
  host: string;
  /** CONNECT tunnels (SOCKS5, HTTP) go here; the HTTP proxy tunnels only to 443. */
  tunnelPort: number;
  /** Shadowsocks sends a plain HTTP request here and wants an HTTP answer back. */
  requestPort: number;
}

export interface ProbeOptions {
  target: CheckTarget;
  /** For the whole probe of one link: connect, handshake and reply. */
  timeoutMs: number;
  /** Whether links may lead to loopback, private, link-local or CGNAT addresses (`--allow-private`). */
  allowPrivate: boolean;
  /** Now, in Unix seconds: MTProto's FakeTLS signs the time into its hello. */
  unixSeconds: () => number;
}

/** What checking one relay from outside found. Never carries a link or a secret. */
export interface ProbeResult {
  ok: boolean;
  /** The relay's port, once the link named it. */
  port?: number;
  /** Time to open the TCP connection, when it opened. */
  connectMs?: number;
  /** Time from connecting to the end of the handshake. */
  handshakeMs?: number;
  /** What passed, or what failed and the likely reason. */
  detail: string;
}

/**
 * How to check one relay kind from outside, from the links the stack outputs carry (the fields
 * `src/fleet-input` keeps for that kind). One module a kind, listed in `probes/index.ts`.
 */
export type RelayProbe = (links: Readonly<Record<string, unknown>>, options: ProbeOptions) => Promise<ProbeResult>;
