import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_PAGE } from "./harness";
import type { Via } from "./load/tunnel";
import { curlThroughProxy } from "./support/clients";
import { holdTunnel } from "./support/held-tunnel-client";
import { eventCapMs, openNodeSession, waitUntil, type NodeSession } from "./support/node-session";

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
});
