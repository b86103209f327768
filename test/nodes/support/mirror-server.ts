/**
 * A static file server for the release mirror, run inside the test's internet namespace:
 * `ip netns exec <ns> node tsx/cli mirror-server.ts <dir> <port>`. Prints READY when listening.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { join, normalize } from "node:path";

const [root, port, host = "0.0.0.0"] = process.argv.slice(2) as [string, string, string?];

createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://mirror").pathname));
  const file = join(root, path);
  try {
    if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error("not a file");
    res.writeHead(200, { "content-length": statSync(file).size });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404).end("not found\n");
  }
}).listen(Number(port), host, () => process.stdout.write("READY\n"));
