/**
 * npm run bench:relays: every relay kind on one node booted as a 1 vCPU / 512 MiB VM.
 * For each: tunnels held at once (and the node's memory then), requests per second, and
 * download throughput as a ratio to a direct download from the node in the same run.
 * Also measures tinyproxy beside squid, the two HTTP proxy candidates, on the same node.
 * The mtproto relay is a stand-in here (README): it is not measured.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KNOWN_PAGE } from "./harness";
import { endLoad, startLoad } from "./load/load-runner";
import type { Target, Via } from "./load/tunnel";
import { startMirror } from "./support/mirror";
import { openNodeSession, type NodeSession } from "./support/node-session";
import { startSsLocal, parseSip002 } from "./support/shadowsocks-client";

const holdSteps = [1000, 2000, 4000, 8000, 12000];
const bulk = { host: "198.18.3.5", port: 443, path: "/bulk.bin", mib: 64 };
const mib = (bytes: number) => bytes / 1024 / 1024;

async function processRssMiB(s: NodeSession, names: string): Promise<number> {
  const r = await s.node.exec("ps", ["-o", "rss=", "-C", names]);
  return r.stdout.split("\n").filter(Boolean).reduce((sum, kb) => sum + Number(kb), 0) / 1024;
}

/** The largest step at which at least 99% of tunnels held, with memory at that step. */
async function holdCapacity(s: NodeSession, via: Via, target: Target, processes: string) {
  let best = { held: 0, nodeMiB: 0, relayMiB: 0 };
  for (const count of holdSteps) {
    const { result, child } = await startLoad(s.network.plan.ns.client, { mode: "hold", via, target, count });
    await new Promise((r) => setTimeout(r, 1000));
    const sample = { held: result["held"] as number, nodeMiB: mib(await s.node.memoryBytes()), relayMiB: await processRssMiB(s, processes) };
    await endLoad(child);
    await new Promise((r) => setTimeout(r, 2000));
    if (sample.held < count * 0.99) {
      // Every tunnel of a step is opened at once and must finish within 20 s.
      process.stderr.write(`  ${count} opened at once: ${sample.held} held within 20 s (${result["error"]}); stopping\n`);
      break;
    }
    process.stderr.write(`  ${count}: all held; node ${sample.nodeMiB.toFixed(0)} MiB, relay ${sample.relayMiB.toFixed(1)} MiB\n`);
    best = sample;
  }
  return best;
}

async function requestsPerSecond(netns: string, via: Via, target: Target): Promise<number> {
  const { result, child } = await startLoad(netns, { mode: "requests", via, target, seconds: 10, concurrency: 32 });
  child.kill("SIGKILL");
  return result["perSecond"] as number;
}

async function downloadSpeed(run: (args: string[]) => Promise<{ stdout: string }>, proxyArgs: string[]): Promise<number> {
  const r = await run(["--silent", "--max-time", "120", ...proxyArgs, "--output", "/dev/null", "--write-out", "%{speed_download}", `http://${bulk.host}:${bulk.port}${bulk.path}`]);
  return Number(r.stdout);
}

async function main(): Promise<void> {
  const s = await openNodeSession({ provider: "digitalocean", name: "bench", limits: { memoryMiB: 512, cpus: 1 }, maxConnectionsPerClient: 1_000_000, noBandwidthCap: true });
  const work = mkdtempSync(join(tmpdir(), "lifeline-bench-"));
  try {
    await s.node.waitForCloudInit();
    writeFileSync(join(work, bulk.path.slice(1)), randomBytes(bulk.mib * 1024 * 1024));
    await s.network.execIn("internet", "ip", ["addr", "add", `${bulk.host}/24`, "dev", "eth0"]);
    const bulkServer = await startMirror(s.network, work, { host: bulk.host, port: bulk.port });
    const ss = await startSsLocal(s.network, parseSip002(s.rendered.links["shadowsocks"]!["accessKey"]!));
    const http = s.rendered.links["http"]!;
    const socksUrl = new URL(s.rendered.links["socks5"]!["socks5"]!);
    const node = s.network.nodeIp;
    const page: Target = { host: s.network.internet.ip, port: 443 };
    const ssPort = Number(new URL(ss.socksUrl).port);

    // tinyproxy, the other HTTP candidate, beside squid on the same node (port 9443).
    const inNode = async (cmd: string, ...args: string[]) => {
      const r = await s.node.exec(cmd, args, { timeoutMs: 300_000 });
      if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    };
    await inNode("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q tinyproxy >/dev/null && systemctl stop tinyproxy");
    const tinyproxyConf = ["Port 9443", "Listen 0.0.0.0", "MaxClients 16384", `BasicAuth ${http["user"]} ${http["password"]}`, "ConnectPort 443", "LogLevel Critical", ""].join("\n");
    await inNode("sh", "-c", `cat > /etc/lifeline/tinyproxy.conf <<'END'\n${tinyproxyConf}END`);
    await inNode("systemd-run", "--unit", "tinyproxy-candidate", "--uid", "lifeline-http", "--gid", "lifeline-http", "-p", "LimitNOFILE=1048576", "-p", "StandardOutput=null", "/usr/bin/tinyproxy", "-d", "-c", "/etc/lifeline/tinyproxy.conf");
    await inNode("nft", "insert", "rule", "inet", "lifeline", "input", "tcp", "dport", "9443", "accept");

    const relays: Array<{ name: string; via: Via; processes: string; curl: string[]; unit: string }> = [
      { name: "socks5 (microsocks)", via: { kind: "socks5", host: node, port: 8443, user: socksUrl.username, pass: socksUrl.password }, processes: "microsocks", curl: ["--proxy", s.rendered.links["socks5"]!["socks5"]!], unit: "lifeline-socks5" },
      { name: "http (squid)", via: { kind: "http", host: node, port: 8080, user: http["user"]!, pass: http["password"]! }, processes: "squid,basic_ncsa_auth", curl: ["--proxytunnel", "--proxy", http["url"]!], unit: "lifeline-http" },
      { name: "http candidate (tinyproxy)", via: { kind: "http", host: node, port: 9443, user: http["user"]!, pass: http["password"]! }, processes: "tinyproxy", curl: ["--proxytunnel", "--proxy", `http://${http["user"]}:${http["password"]}@${node}:9443`], unit: "tinyproxy-candidate" },
      { name: "shadowsocks (ss-server)", via: { kind: "socks5", host: "127.0.0.1", port: ssPort }, processes: "ss-server", curl: ["--proxy", ss.socksUrl], unit: "lifeline-shadowsocks" },
    ];

    const directRps = await requestsPerSecond(s.network.plan.ns.node, { kind: "direct" }, page);
    const directSpeed = await downloadSpeed((a) => s.network.execIn("node", "curl", a, { timeoutMs: 180_000 }), []);
    const rows: string[] = [];
    for (const relay of relays) {
      const check = await s.network.execIn("client", "curl", ["--silent", "--max-time", "10", ...relay.curl, `http://${page.host}:443/`]);
      if (check.stdout !== KNOWN_PAGE) throw new Error(`${relay.name} does not serve: ${check.stdout}`);
      process.stderr.write(`${relay.name}\n`);
      const idle = await processRssMiB(s, relay.processes);
      // Requests and download first: thousands of tunnels closing afterwards skew them.
      const rps = await requestsPerSecond(s.network.plan.ns.client, relay.via, page);
      const speed = await downloadSpeed((a) => s.network.execIn("client", "curl", a, { timeoutMs: 180_000 }), relay.curl);
      const capacity = await holdCapacity(s, relay.via, page, relay.processes);
      // squid keeps the memory it grew to: stop each relay after its turn, so the next one
      // has the same 512 MiB to grow into.
      await s.node.exec("systemctl", ["stop", relay.unit]);
      await new Promise((r) => setTimeout(r, 5_000));
      rows.push(
        `| ${relay.name} | ${capacity.held} | ${idle.toFixed(1)} MiB / ${capacity.relayMiB.toFixed(1)} MiB | ${capacity.nodeMiB.toFixed(0)} MiB | ${rps.toFixed(0)} (${(rps / directRps).toFixed(2)}x) | ${(speed / directSpeed).toFixed(2)}x |`,
      );
    }
    ss.stop();
    bulkServer.stop();
    console.log(`node: 1 vCPU, 512 MiB (cgroup limits); direct from the node: ${directRps.toFixed(0)} requests/s, ${(directSpeed * 8 / 1e6).toFixed(0)} Mbit/s`);
    console.log("| relay | tunnels held (largest step with >= 99%) | relay memory idle / at that step | node memory at that step | requests/s (ratio to direct) | download throughput ratio to direct |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const row of rows) console.log(row);
    console.log(`steps tried: ${holdSteps.join(", ")}; requests: 32 concurrent for 10 s, one tunnel per request; download: ${bulk.mib} MiB`);
  } finally {
    await s.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
