/** The flow every lifeline VLESS client must use: XTLS Vision, which hides TLS-in-TLS lengths. */
export const visionFlow = "xtls-rprx-vision";

export interface XrayConfigInput {
  port: number;
  userId: string;
  /** Unpadded base64url of the 32-byte X25519 private key. */
  privateKey: string;
  shortIds: readonly string[];
  /** The real site strangers get, `host:port`. */
  target: string;
  serverNames: readonly string[];
}

/**
 * Xray's JSON for a node: one VLESS inbound over raw TCP with REALITY and the Vision flow, and a
 * direct outbound. Logs are off at the source (no access log, error level `none`), besides the
 * unit discarding Xray's output: its access log would name every client address. No geo
 * databases are read (no rule needs them); the unit's kernel filter and the node firewall keep
 * users off internal addresses, as for every relay.
 */
export function xrayServerConfig(input: XrayConfigInput): string {
  const config = {
    log: { loglevel: "none", access: "none", dnsLog: false },
    inbounds: [
      {
        listen: "0.0.0.0",
        port: input.port,
        protocol: "vless",
        settings: { clients: [{ id: input.userId, flow: visionFlow }], decryption: "none" },
        streamSettings: {
          network: "tcp",
          security: "reality",
          realitySettings: {
            target: input.target,
            serverNames: input.serverNames,
            privateKey: input.privateKey,
            shortIds: input.shortIds,
          },
        },
      },
    ],
    outbounds: [{ protocol: "freedom", tag: "direct" }],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
