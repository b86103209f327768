// Builds every Go peer the tests run (the relays, and the S3 server `share --publish` uploads to)
// into the cache, so that a test run starts with them (`npx tsx test/peers/build.ts`, as .ci/run
// does); the tests build them anyway when missing.
import { buildGoPeer, mtgPeer, versitygwPeer, xrayPeer } from "./go-peers";

async function main(): Promise<void> {
  for (const peer of [mtgPeer, xrayPeer, versitygwPeer]) {
    const started = Date.now();
    const path = await buildGoPeer(peer);
    console.log(`${peer.name} ${peer.version}: ${path} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
