import type { NodeHandle } from "../harness";
import type { Via } from "../load/tunnel";

/**
 * Servers measured beside lifeline's own relays on the same node, to choose by measurement:
 * Debian 12's SOCKS5 servers that check a user and password the way Telegram's tg://socks
 * needs (dante-server, v2ray; microsocks is lifeline's relay), and tinyproxy, the other HTTP
 * proxy. Each runs on its own port with one user and password, its output discarded.
 */
export interface Candidate {
  name: string;
  port: number;
  via: Via;
  /** Process names whose memory is the candidate's (`ps -C`). */
  processes: string;
  /** The systemd unit it runs as (stopped after its turn, like the relays). */
  unit: string;
  /** curl arguments that go through it (for the bulk download and the wrong-password check). */
  curl: string[];
  kind: "socks5" | "http";
}

export interface Credentials {
  user: string;
  pass: string;
}

async function inNode(node: NodeHandle, script: string): Promise<void> {
  const r = await node.exec("sh", ["-c", script], { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`bench candidate setup failed: ${script}\n${r.stdout}${r.stderr}`);
}

function service(unit: string, user: string, cmd: string): string {
  return `systemd-run --unit ${unit} --uid ${user} -p LimitNOFILE=1048576 -p TasksMax=infinity -p StandardOutput=null -p StandardError=null ${cmd}`;
}

const dante = (c: Credentials, port: number, egress: string) => `logoutput: /dev/null
internal: 0.0.0.0 port = ${port}
external: ${egress}
socksmethod: username
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }
socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 command: connect }
`;

const v2ray = (c: Credentials, port: number) =>
  JSON.stringify({
    log: { loglevel: "none" },
    inbounds: [{ listen: "0.0.0.0", port, protocol: "socks", settings: { auth: "password", accounts: [{ user: c.user, pass: c.pass }], udp: false } }],
    outbounds: [{ protocol: "freedom" }],
  });

const tinyproxy = (c: Credentials, port: number) =>
  ["Port " + port, "Listen 0.0.0.0", "MaxClients 16384", `BasicAuth ${c.user} ${c.pass}`, "ConnectPort 443", "LogLevel Critical", ""].join("\n");

/**
 * Installs and starts the candidates on the node (from the Debian archive, as the relays are),
 * opening their ports in the node's firewall. `egress` is the node's address towards the targets.
 */
export async function startCandidates(node: NodeHandle, c: Credentials, nodeIp: string, egress: string, ports: { dante: number; v2ray: number; tinyproxy: number }): Promise<Candidate[]> {
  await inNode(node, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q dante-server v2ray tinyproxy >/dev/null && systemctl stop danted v2ray tinyproxy 2>/dev/null; true");
  // dante checks the user and password against the system's accounts.
  await inNode(node, `id benchsocks >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin benchsocks; echo 'benchsocks:${c.pass}' | chpasswd`);
  await inNode(node, `cat > /etc/bench-danted.conf <<'END'\n${dante(c, ports.dante, egress)}END`);
  await inNode(node, `cat > /etc/bench-v2ray.json <<'END'\n${v2ray(c, ports.v2ray)}\nEND`);
  await inNode(node, `cat > /etc/bench-tinyproxy.conf <<'END'\n${tinyproxy(c, ports.tinyproxy)}END`);
  await inNode(node, service("bench-dante", "root", "/usr/sbin/danted -f /etc/bench-danted.conf"));
  await inNode(node, service("bench-v2ray", "nobody", "/usr/bin/v2ray -config /etc/bench-v2ray.json"));
  await inNode(node, service("bench-tinyproxy", "nobody", "/usr/bin/tinyproxy -d -c /etc/bench-tinyproxy.conf"));
  for (const port of Object.values(ports)) await inNode(node, `nft insert rule inet lifeline input tcp dport ${port} accept`);
  const socks = (user: string) => (port: number): Via => ({ kind: "socks5", host: nodeIp, port, user, pass: c.pass });
  const socksCurl = (user: string, port: number) => ["--proxy", `socks5h://${user}:${c.pass}@${nodeIp}:${port}`];
  return [
    { name: "dante-server (danted)", port: ports.dante, via: socks("benchsocks")(ports.dante), processes: "danted", unit: "bench-dante", curl: socksCurl("benchsocks", ports.dante), kind: "socks5" },
    { name: "v2ray (socks inbound)", port: ports.v2ray, via: socks(c.user)(ports.v2ray), processes: "v2ray", unit: "bench-v2ray", curl: socksCurl(c.user, ports.v2ray), kind: "socks5" },
    {
      name: "tinyproxy",
      port: ports.tinyproxy,
      via: { kind: "http", host: nodeIp, port: ports.tinyproxy, user: c.user, pass: c.pass },
      processes: "tinyproxy",
      unit: "bench-tinyproxy",
      curl: ["--proxytunnel", "--proxy", `http://${c.user}:${c.pass}@${nodeIp}:${ports.tinyproxy}`],
      kind: "http",
    },
  ];
}
