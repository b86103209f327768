/** How the CA checks that the node holds its address: RFC 8555's http-01, or RFC 8737's tls-alpn-01. */
export interface CertificateValidation {
  challenge: "http-01" | "tls-alpn-01";
  /** Where the CA connects; these ports are fixed by the protocols. */
  port: 80 | 443;
}

/**
 * http-01 on port 80 when no relay uses it, otherwise tls-alpn-01 on 443 when that is free.
 * The CA connects from outside the blackout (the censor need not pass the port), so the port
 * only has to be free on the node; with both taken there is no way to validate (null).
 */
export function certificateValidation(nodeRelayPorts: readonly number[]): CertificateValidation | null {
  if (!nodeRelayPorts.includes(80)) return { challenge: "http-01", port: 80 };
  if (!nodeRelayPorts.includes(443)) return { challenge: "tls-alpn-01", port: 443 };
  return null;
}
