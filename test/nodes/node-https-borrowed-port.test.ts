import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import type { Via } from "./load/tunnel";
import { curlThroughProxy } from "./support/clients";
import { holdTunnel } from "./support/held-tunnel-client";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";
import { caIp } from "./support/test-ca";

const httpsPort = 4443;
const certificateUnit = "lifeline-https-certificate.service";

// Relays on both 80 (http) and 443 (mtproto): no free port for the CA, so the https relay's
// certificate unit borrows 80 from the http relay for the seconds pebble validates.
describe("the https relay on a node whose relays use both 80 and 443", () => {
  let s: NodeSession;
  beforeAll(async () => {
    s = await openNodeSession({ provider: "digitalocean", name: "https-borrow", relayKinds: ["mtproto", "http", "https"], relayPorts: { http: 80 } });
    await s.node.waitForCloudInit();
  });
  afterAll(async () => {
    await s?.close();
  });

  const http = () => s.rendered.links["http"]!;
  const https = () => s.rendered.links["https"]!;
  const servedSerial = async () => {
    const r = await s.network.execIn("client", "sh", ["-c",
      `openssl s_client -connect ${s.network.nodeIp}:${httpsPort} -CAfile ${s.ca.rootFile} -verify_return_error -verify_ip ${s.network.nodeIp} </dev/null 2>/dev/null | openssl x509 -noout -serial`]);
    return r.stdout.trim();
  };
  const validationsOnPort80 = () => s.ca.log().split("\n").filter((l) => l.includes(`Attempting to validate w/ HTTP: http://${s.network.nodeIp}:80/.well-known/acme-challenge/`)).length;
  const redirectInPlace = async () => (await s.node.exec("nft", ["list", "table", "inet", "lifeline_validation"])).code === 0;

  it("got its certificate at first boot through http-01 on port 80, and 80 is the http relay's again", async () => {
    expect(http()["url"]).toContain(`@${s.network.nodeIp}:80`);
    expect(validationsOnPort80()).toBeGreaterThan(0);
    expect(await servedSerial()).toMatch(/^serial=[0-9A-F]+$/);
    expect((await curlThroughProxy(s.network, https()["url"]!, s.ca.rootFile)).stdout).toBe(KNOWN_PAGE);
    expect(await redirectInPlace(), "the redirect of port 80 left in place after the validation").toBe(false);
    expect((await curlThroughProxy(s.network, http()["url"]!)).stdout).toBe(KNOWN_PAGE);
  });

  it("a forced renewal borrows 80 again: a new certificate, a tunnel through the http relay on 80 opened before it still works, and 80 serves the relay after it", async () => {
    const before = await servedSerial();
    const validations = validationsOnPort80();
    const via: Via = { kind: "http", host: s.network.nodeIp, port: 80, user: http()["user"]!, pass: http()["password"]! };
    const held = await holdTunnel(s.network.plan.ns.client, via, { host: s.network.internet.ip, port: 443 });
    let tunnelAnswers: string[] = [];
    try {
      expect(held.first).toBe("HTTP/1.1 200 OK");
      const stopAsking = held.askEverySecond();
      try {
        const renewal = await s.node.exec("sh", ["-c", `touch /var/lib/lifeline-acme/force-renewal && systemctl start ${certificateUnit}`], { timeoutMs: 300_000 });
        expect(renewal.code, renewal.stderr).toBe(0);
        await waitUntil(async () => (await servedSerial()) !== before, eventCapMs, "the relay showing the new certificate");
      } finally {
        tunnelAnswers = [...(await stopAsking()), await held.request()];
      }
    } finally {
      await held.close();
    }
    expect(validationsOnPort80()).toBeGreaterThan(validations);
    expect(tunnelAnswers.length).toBeGreaterThan(1);
    expect(tunnelAnswers.filter((a) => a !== "HTTP/1.1 200 OK"), "the tunnel through the http relay on 80, opened before the renewal").toEqual([]);
    expect(await redirectInPlace(), "the redirect of port 80 left in place after the renewal").toBe(false);
    expect((await curlThroughProxy(s.network, http()["url"]!)).stdout).toBe(KNOWN_PAGE);
  });

  it("redirects 80 only while the CA validates: not while the account and order are made, and not after", async () => {
    const before = await servedSerial();
    // Both steps are held in turn at the CA's side: first the node's requests to the CA (the
    // order), then the CA's validation of port 80 (the answer), so each can be looked at.
    const hold = (name: string, rule: string) => s.network.execIn("internet", "nft", ["-f", "-"], {
      input: `table inet ${name} {\n  chain input {\n    type filter hook input priority 0;\n    ${rule} drop\n  }\n}\n`,
    });
    const release = (name: string) => s.network.execIn("internet", "nft", ["delete", "table", "inet", name]);
    const step = async (name: string) => (await s.node.exec("pgrep", ["-f", `acme_client.py ${name} `])).code === 0;
    await hold("hold-order", `ip daddr ${caIp} tcp dport 14000`);
    const renewal = s.node.exec("sh", ["-c", `touch /var/lib/lifeline-acme/force-renewal && systemctl start ${certificateUnit}`], { timeoutMs: 300_000 });
    const seen: Record<string, boolean> = {};
    try {
      await waitUntil(() => step("order"), 20_000, "the client ordering");
      seen["while ordering"] = await redirectInPlace();
      seen["http relay on 80 while ordering"] = (await curlThroughProxy(s.network, http()["url"]!)).stdout === KNOWN_PAGE;
      await s.network.execIn("internet", "nft", ["-f", "-"], {
        input: `table inet hold-answer {\n  chain output {\n    type filter hook output priority 0;\n    ip daddr ${s.network.nodeIp} tcp dport 80 drop\n  }\n}\n`,
      });
      await release("hold-order");
      await waitUntil(() => step("answer"), 30_000, "the client answering the CA");
      await waitUntil(redirectInPlace, 10_000, "the redirect while the client answers");
      seen["while answering"] = await redirectInPlace();
    } finally {
      await release("hold-order").catch(() => undefined);
      await release("hold-answer").catch(() => undefined);
    }
    const r = await renewal;
    expect(r.code, r.stderr).toBe(0);
    expect(seen).toEqual({ "while ordering": false, "http relay on 80 while ordering": true, "while answering": true });
    await waitUntil(async () => (await servedSerial()) !== before, 30_000, "the relay showing the new certificate");
    expect(await redirectInPlace(), "the redirect of port 80 left in place after the renewal").toBe(false);
  });
});
