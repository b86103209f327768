import { mtproxyTransport } from "../support/mtcute-transport";

export interface FakeTlsSession {
  close(): void;
}

/** A FakeTLS handshake with mtcute's transport; resolves once the server proved the secret. */
export async function fakeTlsHandshake(link: string): Promise<FakeTlsSession> {
  const transport = mtproxyTransport(link);
  await transport.connect();
  return { close: () => transport.connection?.close() };
}
