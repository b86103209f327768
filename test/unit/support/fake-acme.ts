import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface SignedRequest {
  path: string;
  header: Record<string, unknown>;
  payload: unknown;
  /** The ES256 signature checks out against the account key, and the nonce was one this CA issued. */
  valid: boolean;
}

export interface FakeAcme {
  directory: string;
  requests: SignedRequest[];
  /** RFC 7638 thumbprint of the account key, as the client must put in key authorizations. */
  thumbprint(): string;
  stop(): void;
}

export interface FakeAcmeOptions {
  profiles?: Record<string, string>;
  challenge: "http-01" | "tls-alpn-01";
  /** Called when the client says it is ready: the test plays the CA's validator, then the CA refuses. */
  validate(token: string, keyAuthorization: string): Promise<void>;
  /** The authorization is valid from the start, so the client goes straight to finalizing (then refused). */
  alreadyAuthorized?: boolean;
}

const b64u = (b: Buffer) => b.toString("base64url");

/**
 * An ACME server that records and checks what the client signs, and acts as the CA's validator
 * through `validate`; it never issues (the authorization ends invalid, or finalizing is refused).
 * Plain HTTP on loopback.
 */
export async function startFakeAcme(options: FakeAcmeOptions): Promise<FakeAcme> {
  const requests: SignedRequest[] = [];
  const nonces = new Set<string>();
  let accountKey: KeyObject | undefined;
  let jwk: Record<string, string> | undefined;
  let authzStatus = options.alreadyAuthorized ? "valid" : "pending";
  const token = b64u(randomBytes(16));
  let base = "";

  const nonce = () => {
    const n = b64u(randomBytes(12));
    nonces.add(n);
    return n;
  };
  const thumbprint = () => b64u(createHash("sha256").update(JSON.stringify({ crv: jwk!["crv"], kty: jwk!["kty"], x: jwk!["x"], y: jwk!["y"] })).digest());
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", "Replay-Nonce": nonce(), ...headers });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    if (req.method === "GET" && path === "/dir") {
      return send(res, 200, { newNonce: `${base}/nonce`, newAccount: `${base}/account`, newOrder: `${base}/order`, ...(options.profiles ? { meta: { profiles: options.profiles } } : {}) });
    }
    if (req.method === "HEAD" && path === "/nonce") return send(res, 200, "");
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const jws = JSON.parse(raw) as { protected: string; payload: string; signature: string };
    const header = JSON.parse(Buffer.from(jws.protected, "base64url").toString()) as Record<string, unknown>;
    if (header["jwk"]) {
      jwk = header["jwk"] as Record<string, string>;
      accountKey = createPublicKey({ key: jwk, format: "jwk" });
    }
    const signed = verify("sha256", Buffer.from(`${jws.protected}.${jws.payload}`), { key: accountKey!, dsaEncoding: "ieee-p1363" }, Buffer.from(jws.signature, "base64url"));
    const fresh = nonces.delete(String(header["nonce"])) && header["url"] === `${base}${path}`;
    const payload = jws.payload === "" ? null : JSON.parse(Buffer.from(jws.payload, "base64url").toString());
    requests.push({ path, header, payload, valid: signed && fresh });
    if (path === "/account") return send(res, 201, { status: "valid" }, { Location: `${base}/acct/1` });
    if (path === "/order") {
      return send(res, 201, { status: "pending", authorizations: [`${base}/authz/1`], finalize: `${base}/finalize/1` }, { Location: `${base}/order/1` });
    }
    if (path === "/authz/1") {
      const challenge = { type: options.challenge, url: `${base}/chall/1`, token, status: authzStatus, ...(authzStatus === "invalid" ? { error: { detail: "the fake CA stops here" } } : {}) };
      return send(res, 200, { status: authzStatus, identifier: { type: "ip", value: "127.0.0.1" }, challenges: [challenge] });
    }
    if (path === "/chall/1") {
      await options.validate(token, `${token}.${thumbprint()}`);
      authzStatus = "invalid";
      return send(res, 200, { type: options.challenge, status: "processing" });
    }
    if (path === "/finalize/1") return send(res, 403, { type: "urn:ietf:params:acme:error:unauthorized", detail: "the fake CA stops here" });
    send(res, 404, { type: "urn:ietf:params:acme:error:malformed", detail: `no ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { directory: `${base}/dir`, requests, thumbprint, stop: () => server.close() };
}
