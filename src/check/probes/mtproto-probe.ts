import { probeOver, ProbeFailure, type ProbeConnection } from "../connection";
import type { RelayProbe } from "../types";
import { parseFakeTlsSecret, serverReplySigned, signedClientHello } from "./faketls";
import { linkField, telegramLinkParams } from "./link-fields";

const recordTypes = { handshake: 0x16, changeCipherSpec: 0x14, applicationData: 0x17, alert: 0x15 } as const;

/** One TLS record, header included. */
async function readRecord(c: ProbeConnection, what: string): Promise<Buffer> {
  const header = await c.read(5, what);
  return Buffer.concat([header, await c.read(header.readUInt16BE(3), what)]);
}

/**
 * MTProto FakeTLS: a ClientHello signed with the link's secret, and a reply that must be signed
 * with it too. mtg hands a hello it cannot verify to its fronting site, whose real TLS answer
 * is not signed: a wrong secret fails here, whatever that site sends.
 */
export const mtprotoProbe: RelayProbe = async (links, { timeoutMs, allowPrivate, unixSeconds }) => {
  const { server, port, params } = telegramLinkParams(linkField(links, "telegram"));
  const secret = parseFakeTlsSecret(params.get("secret") ?? "");
  if (!secret) throw new ProbeFailure("the link's secret is not a FakeTLS (ee) secret");
  return probeOver(server, port, { timeoutMs, allowPrivate }, async (c) => {
    const hello = signedClientHello(secret, unixSeconds());
    c.write(hello.record);
    const what = "a FakeTLS answer to the ClientHello";
    const first = await readRecord(c, what);
    if (first[0] === recordTypes.alert) throw new ProbeFailure("the port answered the ClientHello with a TLS alert: not mtg with this secret");
    if (first[0] !== recordTypes.handshake) throw new ProbeFailure("the port does not answer as TLS");
    const flight = [first, await readRecord(c, what), await readRecord(c, what)];
    const types = flight.map((r) => r[0]);
    const signed = types[1] === recordTypes.changeCipherSpec && types[2] === recordTypes.applicationData && serverReplySigned(secret.key, hello.random, Buffer.concat(flight));
    if (!signed) {
      throw new ProbeFailure(
        "the answer is not signed with the link's secret: wrong secret (mtg passed the hello to its fronting site), or this machine's clock is more than a few seconds off",
      );
    }
    return "FakeTLS handshake: the server's answer is signed with the link's secret";
  });
};
