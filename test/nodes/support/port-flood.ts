import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlackoutNetwork, NetnsRole } from "../harness";

// `connections` idle connections to host:port, each reopened as soon as the far end closes it or
// a connect fails (the port may be closed yet): none ever sends a byte. Counts what was accepted.
const flooder = `
import asyncio, os, sys
host, port, count, stop_file, count_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
accepted = 0
async def hold():
    global accepted
    while not os.path.exists(stop_file):
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 1)
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(0.05)
            continue
        accepted += 1
        try:
            while not os.path.exists(stop_file):
                try:
                    if not await asyncio.wait_for(reader.read(4096), 0.5):
                        break
                except asyncio.TimeoutError:
                    pass
        except OSError:
            pass
        writer.close()
async def report():
    while not os.path.exists(stop_file):
        with open(count_file + ".new", "w") as out:
            out.write(str(accepted))
        os.replace(count_file + ".new", count_file)
        await asyncio.sleep(0.1)
async def main():
    await asyncio.gather(report(), *[hold() for _ in range(count)])
asyncio.run(main())
print(accepted)
`;

export interface NamespaceFlood {
  /** Connections the target has accepted so far. */
  accepted(): number;
  /** Ends the flood; resolves with the final count of accepted connections. */
  stop(): Promise<number>;
}

/** A stranger in the `role` namespace flooding host:port with idle connections, as the flooder above. */
export function floodFrom(network: BlackoutNetwork, role: NetnsRole, host: string, port: number, connections: number): NamespaceFlood {
  const dir = mkdtempSync(join(tmpdir(), "port-flood-"));
  const [script, stopFile, countFile] = [join(dir, "flood.py"), join(dir, "stop"), join(dir, "count")];
  writeFileSync(script, flooder);
  const done = network.execIn(role, "python3", [script, host, String(port), String(connections), stopFile, countFile], { timeoutMs: 900_000 });
  return {
    accepted: () => (existsSync(countFile) ? Number(readFileSync(countFile, "utf8")) : 0),
    async stop() {
      writeFileSync(stopFile, "");
      const r = await done;
      rmSync(dir, { recursive: true, force: true });
      return Number(r.stdout.trim());
    },
  };
}
