/** How the CA checks that the node holds its address: RFC 8555's http-01, or RFC 8737's tls-alpn-01. */
export interface CertificateValidation {
  challenge: "http-01" | "tls-alpn-01";
  /** Where the CA connects; these ports are fixed by the protocols. */
  port: 80 | 443;
  /** Where the node's ACME client listens: `port` itself, or a free port that `port` is redirected to. */
  listenPort: number;
}

/**
 * Where the ACME client answers while port 80 belongs to a relay: for the seconds of a
 * validation, new connections to 80 are redirected here, and the relay on 80 gets none.
 * The first of 8402, 8403, ... that no relay uses; only the node's own redirect reaches it.
 */
function borrowedListenPort(nodeRelayPorts: readonly number[]): number {
  let port = 8402;
  while (nodeRelayPorts.includes(port)) port++;
  return port;
}

/**
 * http-01 on port 80 when no relay uses it, otherwise tls-alpn-01 on 443 when that is free.
 * With both taken, http-01 borrows port 80 from its relay for the seconds the CA validates
 * (a few seconds every three days or so). The CA connects from outside the blackout (the censor
 * need not pass the port), so the port only has to be free on the node, or borrowed.
 */
export function certificateValidation(nodeRelayPorts: readonly number[]): CertificateValidation {
  if (!nodeRelayPorts.includes(80)) return { challenge: "http-01", port: 80, listenPort: 80 };
  if (!nodeRelayPorts.includes(443)) return { challenge: "tls-alpn-01", port: 443, listenPort: 443 };
  return { challenge: "http-01", port: 80, listenPort: borrowedListenPort(nodeRelayPorts) };
}
