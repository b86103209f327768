import { writeFileSync, existsSync, rmSync } from "node:fs";
import { openNodeSession } from "../test/nodes/support/node-session";
async function main() {
  rmSync("/tmp/hold", { recursive: true, force: true });
  const s = await openNodeSession({ provider: "digitalocean", name: "hold" });
  try {
    await s.node.waitForCloudInit().catch((e) => console.log("CLOUDINIT", String(e).slice(0, 4000)));
    const pid = (await s.node.exec("sh", ["-c", "echo $PPID"])).stdout;
    writeFileSync("/tmp/hold.json", JSON.stringify({ ns: s.network.plan.ns, node: s.network.nodeIp, links: s.rendered.links, client: s.network.clientIp }, null, 1));
    console.log("READY");
    while (!existsSync("/tmp/hold-stop")) await new Promise((r) => setTimeout(r, 1000));
  } finally { rmSync("/tmp/hold-stop", { force: true }); await s.close(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
