/**
 * mtg v2 accepts only FakeTLS secrets: `ee`, 16 random bytes, then the ASCII host name the
 * proxy pretends to be, all in hex.
 */
export function fakeTlsSecret(randomHex: string, frontingHost: string): string {
  if (!/^[0-9a-f]{32}$/.test(randomHex)) {
    throw new Error("the MTProto secret's random part must be 16 bytes of lowercase hex");
  }
  return `ee${randomHex}${Buffer.from(frontingHost, "ascii").toString("hex")}`;
}
