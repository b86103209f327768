/**
 * What a scanner and the probe say to each other, on every port, as plain HTTP so that a browser
 * can speak it too. The scanner sends a fresh nonce and the port it dialled:
 *
 *   GET /?n=<32 hex>&p=<port> HTTP/1.1
 *
 * and the probe answers `200` with the hex HMAC-SHA256, keyed with the stack's probe token, of
 * `<nonce>:<port>`, where port is the one the probe was really reached on (the firewall's
 * redirect keeps it as the connection's original destination). A transparent proxy, a captive
 * portal or a path that moves the connection to another port cannot produce that answer.
 * Nothing in it names lifeline or its software.
 */

/** The one port the probe's listener binds; the firewall redirects every other port to it. */
export const probeListenerPort = 47001;

/** Random bytes of a nonce (hex on the wire). */
export const nonceBytes = 16;

/** The probe token: what `pulumi stack output probeToken --show-secrets` prints. */
export const probeTokenLength = 24;
export const probeTokenPattern = /^[A-Za-z0-9]{24}$/;

/** The request's path and query. */
export function probePath(nonce: string, port: number): string {
  return `/?n=${nonce}&p=${port}`;
}

/** The text the probe's MAC covers. */
export function macMessage(nonce: string, port: number): string {
  return `${nonce}:${port}`;
}

/** A whole request as the command-line scanner sends it. */
export function probeRequest(host: string, nonce: string, port: number): string {
  const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return `GET ${probePath(nonce, port)} HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`;
}

/** The body of an HTTP answer, or undefined when the bytes are not a complete `200` answer. */
export function answerBody(raw: string): string | undefined {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1 || !/^HTTP\/1\.[01] 200 /.test(raw)) return undefined;
  return raw.slice(end + 4).trim();
}
