/** An OpenSSH string field: its length as 4 bytes, big-endian, then its bytes. */
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * A DigitalOcean droplet created without SSH keys gets a root password, e-mailed to the
 * account and good on the web console. Handing it a key instead stops that; this key is 32
 * random bytes in the place of an Ed25519 public key, so no private key for it exists anywhere
 * (not even in the Pulumi state), and it opens nothing. Unique per node, as DigitalOcean
 * refuses the same key twice in one account.
 */
export function lockedRootKey(randomBytes: Buffer): string {
  if (randomBytes.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, not ${randomBytes.length}`);
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(randomBytes)]);
  return `ssh-ed25519 ${blob.toString("base64")}`;
}
