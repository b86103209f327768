import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import { endLoad, startLoad } from "./load/load-runner";
import type { Via } from "./load/tunnel";
import { launchChromiumIn } from "./support/browser-in-namespace";
import { holdTunnel } from "./support/held-tunnel-client";
import { tcpProbe } from "./support/mtproto";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { startCapture } from "./support/packet-capture";
import { floodFrom } from "./support/port-flood";
import { printableRuns, strangerProbes } from "./support/stranger-probes";
import { caIp } from "./support/test-ca";

const port = 4443;
const certificateUnit = "lifeline-https-certificate.service";

// The https relay on a node from the local-nodes stack, with pebble in the test internet as its
// CA: real validation of the node's address on port 80 from outside the censor, curl and
// headless Chromium through the TLS proxy, what the censor captures, and a renewal.
describe("the https relay on a booted node, with pebble as the CA", () => {
  let s: NodeSession;
  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "https" });
    await s.node.waitForCloudInit();
  });
  afterAll(async () => {
    await s?.close();
  });

  const links = () => s.rendered.links["https"]!;
  const internet = () => s.network.internet.ip;
  /** curl from the client, trusting pebble's root for the proxy's certificate only. */
  const curl = (...args: string[]) =>
    s.network.execIn("client", "curl", ["--silent", "--show-error", "--max-time", "15", "--proxy-cacert", s.ca.rootFile, ...args]);
  /** The serial of the certificate the relay shows a new connection, checked against pebble's root. */
  const servedSerial = async () => {
    const r = await s.network.execIn("client", "sh", ["-c",
      `openssl s_client -connect ${s.network.nodeIp}:${port} -CAfile ${s.ca.rootFile} -verify_return_error -verify_ip ${s.network.nodeIp} </dev/null 2>/dev/null | openssl x509 -noout -serial`]);
    return r.stdout.trim();
  };
  const validationsOfNode = () => s.ca.log().split("\n").filter((l) => l.includes(`Attempting to validate w/ HTTP: http://${s.network.nodeIp}:80/.well-known/acme-challenge/`)).length;
  const validationPortsOpen = async () => (await s.node.exec("nft", ["list", "set", "inet", "lifeline", "validation_ports"])).stdout.includes("elements");

  it("got its certificate at first boot through real http-01 validation of its address, and says how long it took", async () => {
    expect(validationsOfNode()).toBeGreaterThan(0);
    expect(s.ca.log()).toMatch(/Issued certificate serial [0-9a-f]+ for order/);
    // A DigitalOcean node: the first validation waited for the metadata service to show the reserved IP.
    const boot = (await s.node.exec("cat", ["/var/log/cloud-init-output.log"])).stdout;
    expect(boot).toContain(`lifeline: public address is ${s.network.nodeIp}; the CA may validate it`);
    expect(s.imds!.answers().length).toBeGreaterThan(0);
    const journal = (await s.node.exec("journalctl", ["--no-pager", "-o", "cat", "-u", certificateUnit])).stdout;
    expect(journal).toContain(`new certificate for ${s.network.nodeIp}: serial=`);
    const serial = await servedSerial();
    expect(serial).toMatch(/^serial=[0-9A-F]+$/);
    expect(journal).toContain(serial);
    const times = await s.node.exec("systemctl", ["show", "-p", "ExecMainStartTimestampMonotonic", "-p", "ExecMainExitTimestampMonotonic", certificateUnit]);
    const t = Object.fromEntries(times.stdout.trim().split("\n").map((l) => l.split("=") as [string, string]));
    const seconds = (Number(t["ExecMainExitTimestampMonotonic"]) - Number(t["ExecMainStartTimestampMonotonic"])) / 1e6;
    console.log(`https: the ACME client took ${seconds.toFixed(2)} s at first boot (account, order, http-01 validation, issuance)`);
    expect(seconds).toBeGreaterThan(0);
    // Port 80 is closed again: the node opened it only while the CA validated.
    expect(await validationPortsOpen(), "the validation port still open in the node firewall").toBe(false);
    expect((await s.node.exec("ss", ["-Hltn", "sport = :80"])).stdout.trim()).toBe("");
  });

  it("runs the ACME client as its own unprivileged user, sandboxed like the relays (systemd-analyze security)", async () => {
    const r = await s.node.exec("systemd-analyze", ["security", "--no-pager", certificateUnit]);
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    console.log(`systemd-analyze security ${certificateUnit}: ${score}`);
    expect(score).toBeLessThanOrEqual(2.5);
    const owner = await s.node.exec("stat", ["-c", "%U %a", "/var/lib/lifeline-acme", "/var/lib/lifeline-acme/account.key"]);
    expect(owner.stdout.trim().split("\n")).toEqual(["lifeline-acme 700", "lifeline-acme 600"]);
  });

  it("curl --proxy https://user:pass@node:port fetches a page and tunnels CONNECT to 443; a wrong password gets 407", async () => {
    expect(links()["url"]).toBe(`https://${links()["user"]}:${links()["password"]}@${s.network.nodeIp}:${port}`);
    expect((await curl("--proxy", links()["url"]!, `http://${internet()}/`)).stdout).toBe(KNOWN_PAGE);
    expect((await curl("--proxytunnel", "--proxy", links()["url"]!, `http://${internet()}:443/`)).stdout).toBe(KNOWN_PAGE);
    const wrong = await curl("--output", "/dev/null", "--write-out", "%{http_code}", "--proxy", `https://${links()["user"]}:wrong@${s.network.nodeIp}:${port}`, `http://${internet()}/`);
    expect(wrong.stdout).toBe("407");
    // Without pebble's root the proxy's certificate is not trusted: the TLS really is checked.
    const untrusted = await s.network.execIn("client", "curl", ["--silent", "--max-time", "15", "--proxy", links()["url"]!, `http://${internet()}/`]);
    expect(untrusted.code).toBe(60);
  });

  it("gives a stranger who completes the TLS handshake a password prompt (realm proxy) or a neutral page, naming nothing", async () => {
    const forbidden = ["lifeline", "squid", s.rendered.node.name, "local node tests", "x-squid", "x-cache", "server:", "via:"];
    const stranger = (...args: string[]) => curl("--include", "--proxy-insecure", "--insecure", ...args);
    const prompt = await stranger("--proxy", `https://${s.network.nodeIp}:${port}`, `http://${internet()}/`);
    const asOrigin = await stranger(`https://${s.network.nodeIp}:${port}/`);
    expect(prompt.stdout).toMatch(/^HTTP\/1\.1 407 /);
    expect(prompt.stdout).toMatch(/^Proxy-Authenticate: Basic realm="proxy"\r$/m);
    expect(asOrigin.stdout).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    for (const [name, r] of [["CONNECT-less GET without credentials", prompt], ["GET / as if to a website", asOrigin]] as const) {
      for (const word of forbidden) expect(r.stdout.toLowerCase(), `${name}: ${word}`).not.toContain(word);
    }
  });

  it("shows the censor neither the password nor the CONNECT target; the plaintext http relay, captured alike, shows both", async () => {
    const secretsOf = (l: Record<string, string>) => [l["password"]!, Buffer.from(`${l["user"]}:${l["password"]}`).toString("base64"), `${internet()}:443`, "CONNECT", "Proxy-Authorization"];
    const capture = async (relayPort: number, proxy: string) => {
      const c = await startCapture(s.network.plan.ns.client, "eth0", `host ${s.network.nodeIp} and tcp port ${relayPort}`);
      const r = await curl("--proxytunnel", "--proxy", proxy, `http://${internet()}:443/`);
      expect(r.stdout).toBe(KNOWN_PAGE);
      return (await c.stop()).toString("latin1");
    };
    const tls = await capture(port, links()["url"]!);
    // Not an empty capture: a TLS handshake and the page's worth of encrypted records went by.
    expect(tls).toContain("\x16\x03\x01");
    expect(tls.length).toBeGreaterThan(KNOWN_PAGE.length + 2000);
    for (const secret of secretsOf(links())) expect(tls, "https capture").not.toContain(secret);
    const http = s.rendered.links["http"]!;
    const plain = await capture(8080, http["url"]!);
    for (const secret of secretsOf(http).slice(1)) expect(plain, "http capture").toContain(secret);
  });

  it("headless Chromium with pebble's root and the link's PAC file (HTTPS ip:port) loads a page, answering the proxy's challenge over DevTools", async () => {
    // Chromium's own background requests go to the proxy too; the node keeps the relay from
    // resolving their names for the test's duration, so nothing leaves the test's namespaces.
    await s.node.exec("nft", ["insert", "rule", "inet", "lifeline", "output", "meta", "skuid", "64105", "meta", "l4proto", "{", "tcp,", "udp", "}", "th", "dport", "53", "reject"]);
    const pacUrl = `data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(links()["pac"]!).toString("base64")}`;
    const variants = [["PAC file", [`--proxy-pac-url=${pacUrl}`]], ["--proxy-server=https://", [`--proxy-server=https://${s.network.nodeIp}:${port}`]]] as const;
    try {
      for (const [name, args] of variants) {
        const { browser, close } = await launchChromiumIn(s.network.plan.ns.client, s.ca.rootPem, args);
        try {
          const page = await browser.newPage();
          const cdp = await page.createCDPSession();
          const challenges: Array<{ source?: string; scheme: string; realm: string; origin: string }> = [];
          cdp.on("Fetch.requestPaused", (e) => void cdp.send("Fetch.continueRequest", { requestId: e.requestId }).catch(() => undefined));
          cdp.on("Fetch.authRequired", (e) => {
            challenges.push(e.authChallenge);
            void cdp.send("Fetch.continueWithAuth", {
              requestId: e.requestId,
              authChallengeResponse: { response: "ProvideCredentials", username: links()["user"]!, password: links()["password"]! },
            });
          });
          await cdp.send("Fetch.enable", { handleAuthRequests: true, patterns: [{ urlPattern: "*" }] });
          const response = await page.goto(`http://${internet()}/`, { waitUntil: "load", timeout: 60_000 });
          expect(response?.status(), name).toBe(200);
          expect(await response?.text(), name).toBe(KNOWN_PAGE);
          expect(challenges[0], name).toMatchObject({ source: "Proxy", scheme: "basic", realm: "proxy", origin: `https://${s.network.nodeIp}:${port}` });
        } finally {
          await close();
        }
      }
    } finally {
      await s.node.exec("nft", ["-f", "/etc/nftables.conf"]);
    }
  });

  it("a forced renewal validates again and installs a new certificate: the next connection sees the new serial, open tunnels and new connections keep working, squid is reloaded, not restarted", async () => {
    const before = await servedSerial();
    const validations = validationsOfNode();
    const mainPid = async () => (await s.node.exec("systemctl", ["show", "-p", "MainPID", "--value", "lifeline-https.service"])).stdout.trim();
    const pid = await mainPid();
    const via: Via = { kind: "https", host: s.network.nodeIp, port, user: links()["user"]!, pass: links()["password"]!, ca: s.ca.rootPem };
    const held = await holdTunnel(s.network.plan.ns.client, via, { host: internet(), port: 443 });
    expect(held.first).toBe("HTTP/1.1 200 OK");
    const stopAsking = held.askEverySecond();
    // New connections, one after another, all through the renewal.
    const stopFile = `/tmp/lifeline-https-requests-${s.network.runId}`;
    const loop = `ok=0; failed=0; while [ ! -e ${stopFile} ]; do ` +
      `if [ "$(curl --silent --max-time 10 --proxy-cacert ${s.ca.rootFile} --proxy '${links()["url"]}' --output /dev/null --write-out '%{http_code}' http://${internet()}/)" = 200 ]; ` +
      `then ok=$((ok + 1)); else failed=$((failed + 1)); fi; done; echo "$ok $failed"`;
    const requests = s.network.execIn("client", "bash", ["-c", loop], { timeoutMs: 600_000 });
    try {
      const renewal = await s.node.exec("sh", ["-c", `touch /var/lib/lifeline-acme/force-renewal && systemctl start ${certificateUnit}`], { timeoutMs: 300_000 });
      expect(renewal.code, renewal.stderr).toBe(0);
      await waitUntil(async () => (await servedSerial()) !== before, eventCapMs, "the relay showing the new certificate");
    } finally {
      await s.network.execIn("client", "touch", [stopFile]);
    }
    const tunnelAnswers = [...(await stopAsking()), await held.request()];
    await held.close();
    const [ok, failed] = (await requests).stdout.trim().split(" ").map(Number);
    await s.network.execIn("client", "rm", ["-f", stopFile]);
    console.log(`https renewal: ${ok} new connections during it succeeded, ${failed} failed`);
    const caSaid = () => s.ca.log().split("\n").filter((l) => /validat|Issued|authz|order/i.test(l)).slice(-30).join("\n");
    expect(validationsOfNode(), `pebble's log of validations and orders:\n${caSaid()}`).toBeGreaterThan(validations);
    const after = await servedSerial();
    expect(after).not.toBe(before);
    expect((await s.node.exec("openssl", ["x509", "-in", "/etc/lifeline/https-certificate/current/fullchain.pem", "-noout", "-serial"])).stdout.trim()).toBe(after);
    expect(await mainPid()).toBe(pid);
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBe(0);
    // The tunnel opened before the renewal answered every second through it, and after it.
    expect(tunnelAnswers.length).toBeGreaterThan(1);
    expect(tunnelAnswers.filter((a) => a !== "HTTP/1.1 200 OK"), "the tunnel opened before the renewal").toEqual([]);
    expect(await validationPortsOpen(), "the validation port still open in the node firewall").toBe(false);
  });

  it("while the CA validates, a stranger on port 80 gets bare 404s and 400s that name nothing; a failed validation keeps the old certificate serving and closes 80 again", async () => {
    const before = await servedSerial();
    // Hold the CA back: its validation of port 80 gets no answer, so the node keeps waiting for it.
    await s.network.execIn("internet", "nft", ["-f", "-"], {
      input: `table inet hold-validation {\n  chain output {\n    type filter hook output priority 0;\n    ip daddr ${s.network.nodeIp} tcp dport 80 drop\n  }\n}\n`,
    });
    let renewal: Promise<{ code: number | null }> | undefined;
    try {
      renewal = s.node.exec("sh", ["-c", `touch /var/lib/lifeline-acme/force-renewal && systemctl start ${certificateUnit}`], { timeoutMs: 600_000 });
      await waitUntil(async () => (await s.node.exec("ss", ["-Hltn", "sport = :80"])).stdout.trim() !== "", eventCapMs, "the node answering validation on 80");
      const forbidden = ["lifeline", "squid", "python", "basehttp", "acme", s.rendered.node.name, "local node tests", "server:", "date:"];
      // Checked at once: pebble gives up on the held validation after some seconds, and the
      // probes below may take longer than that on a loaded machine.
      expect(await validationPortsOpen(), "the validation port closed in the node firewall while the CA validates").toBe(true);
      const answers: Record<string, string> = {};
      for (const probe of await strangerProbes(s.network.nodeIp, 80)) {
        const { received } = await tcpProbe(s.network, s.network.nodeIp, 80, probe.bytes, 2500);
        answers[probe.name] = received.toString("latin1");
        const words = printableRuns(received).join("\n").toLowerCase();
        for (const word of forbidden) expect(words, `port 80, ${probe.name}`).not.toContain(word.toLowerCase());
      }
      // Not a vacuous pass: the stranger did reach the validation answerer.
      expect(answers["HTTP GET /"]).toMatch(/^HTTP\/1\.[01] 404 .*\r\nContent-Length: 0\r\n\r\n$/s);
      expect((await renewal).code).not.toBe(0);
    } finally {
      await renewal?.catch(() => undefined);
      await s.network.execIn("internet", "nft", ["delete", "table", "inet", "hold-validation"]);
      // The failed run leaves the renewal forced for the hourly timer; this test wants it quiet.
      await s.node.exec("rm", ["-f", "/var/lib/lifeline-acme/force-renewal"]);
    }
    expect(await validationPortsOpen(), "the validation port still open in the node firewall").toBe(false);
    expect((await s.node.exec("ss", ["-Hltn", "sport = :80"])).stdout.trim()).toBe("");
    expect(await servedSerial()).toBe(before);
    expect((await curl("--proxy", links()["url"]!, `http://${internet()}/`)).stdout).toBe(KNOWN_PAGE);
  });

  it("gets its certificate while a stranger floods port 80 with hundreds of idle connections during the validation", async () => {
    const before = await servedSerial();
    const validations = validationsOfNode();
    // The CA's validation is held back until the flood is in: then it meets the flood, not an empty port.
    const hold = `table inet hold-validation {\n  chain output {\n    type filter hook output priority 0;\n    ip daddr ${s.network.nodeIp} tcp dport 80 drop\n  }\n}\n`;
    await s.network.execIn("internet", "nft", ["-f", "-"], { input: hold });
    const flood = floodFrom(s.network, "client", s.network.nodeIp, 80, 400);
    let renewal: Promise<{ code: number | null; stderr: string }> | undefined;
    let accepted = 0;
    try {
      renewal = s.node.exec("sh", ["-c", `touch /var/lib/lifeline-acme/force-renewal && systemctl start ${certificateUnit}`], { timeoutMs: 300_000 });
      await waitUntil(async () => flood.accepted() >= 300, 120_000, "the node accepting 300 of the stranger's connections on 80");
    } finally {
      await s.network.execIn("internet", "nft", ["delete", "table", "inet", "hold-validation"]);
    }
    try {
      const r = await renewal!;
      expect(r.code, r.stderr).toBe(0);
    } finally {
      accepted = await flood.stop();
    }
    console.log(`https renewal under a flood: the node accepted ${accepted} idle stranger connections on 80 while the CA validated`);
    expect(accepted).toBeGreaterThanOrEqual(300);
    expect(validationsOfNode()).toBeGreaterThan(validations);
    await waitUntil(async () => (await servedSerial()) !== before, 30_000, "the relay showing the new certificate");
    expect(await validationPortsOpen(), "the validation port still open in the node firewall").toBe(false);
  });

  it("keeps the ACME client's unit off loopback and the metadata service, with the CA still in reach; its uid is its own", async () => {
    // Services it must never reach, answering root; the unit's own run replaced by a probe.
    const probePort = 8099;
    await s.node.exec("ip", ["addr", "add", "169.254.169.254/32", "dev", "lo"]);
    await s.node.exec("systemd-run", ["--unit", "acme-stray-services", "systemd-socket-activate", "-l", `0.0.0.0:${probePort}`, "--accept", "--inetd", "echo", "node secret"]);
    const targets = [["127.0.0.1", probePort], ["169.254.169.254", probePort], [caIp, 14000]] as const;
    const dropIn = "/run/systemd/system/lifeline-https-certificate.service.d/zz-probe.conf";
    const probe = `import socket\nfor host, port in ${JSON.stringify(targets)}:\n    try:\n        socket.create_connection((host, port), 3).close()\n        print("probe", host, "reached")\n    except OSError as e:\n        print("probe", host, "refused:", e)\n`;
    try {
      for (const [ip] of targets.slice(0, 2)) {
        await waitUntil(async () => (await s.node.exec("curl", ["--silent", "--max-time", "2", `telnet://${ip}:${probePort}`], { input: "" })).stdout.includes("node secret"), 10_000, `root reaching ${ip}`);
      }
      await s.node.exec("sh", ["-c", "cat > /run/acme-probe.py"], { input: probe });
      await s.node.exec("mkdir", ["-p", "/run/systemd/system/lifeline-https-certificate.service.d"]);
      await s.node.exec("sh", ["-c", `cat > ${dropIn}`], { input: "[Service]\nExecCondition=\nExecStart=\nExecStart=/usr/bin/python3 /run/acme-probe.py\nExecStartPost=\n" });
      await s.node.exec("systemctl", ["daemon-reload"]);
      const since = (await s.node.exec("date", ["+%Y-%m-%d %H:%M:%S"])).stdout.trim();
      const run = await s.node.exec("systemctl", ["start", certificateUnit], { timeoutMs: 60_000 });
      expect(run.code, run.stderr).toBe(0);
      const said = (await s.node.exec("journalctl", ["--no-pager", "-o", "cat", "-u", certificateUnit, "--since", since])).stdout;
      expect(said).toMatch(/^probe 127\.0\.0\.1 refused: /m);
      expect(said).toMatch(/^probe 169\.254\.169\.254 refused: /m);
      expect(said).toMatch(new RegExp(`^probe ${caIp.replace(/\./g, "\\.")} reached$`, "m"));
      const limits = await s.node.exec("systemctl", ["show", "-p", "TasksMax", certificateUnit]);
      expect(limits.stdout).toContain("TasksMax=16");
      expect((await s.node.exec("id", ["-u", "lifeline-acme"])).stdout.trim()).toBe("64120");
    } finally {
      await s.node.exec("rm", ["-f", dropIn, "/run/acme-probe.py"]);
      await s.node.exec("systemctl", ["daemon-reload"]);
      await s.node.exec("systemctl", ["stop", "acme-stray-services.socket", "acme-stray-services.service"]);
      await s.node.exec("ip", ["addr", "del", "169.254.169.254/32", "dev", "lo"]);
    }
  });

  it("the https Via of the load client (bench:relays) holds tunnels through the relay", async () => {
    const via: Via = { kind: "https", host: s.network.nodeIp, port, user: links()["user"]!, pass: links()["password"]!, ca: s.ca.rootPem };
    const { result, child } = await startLoad(s.network.plan.ns.client, { mode: "hold", via, target: { host: internet(), port: 443 }, count: 20 });
    try {
      expect(result).toMatchObject({ held: 20, failed: 0 });
    } finally {
      await endLoad(child);
    }
  });
});
