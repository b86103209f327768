#!/usr/bin/python3
# Gets and renews the TLS certificate for this node's IP address from an ACME CA: RFC 8555 with
# RFC 8738 IP identifiers and the ACME profiles draft (Let's Encrypt issues IP certificates only
# under the `shortlived` profile, which no ACME client in Debian 12 requests). Python's standard
# library and the openssl command are all it needs, and both are on every node (cloud-init runs
# on Python): nothing is downloaded at boot. Nodes get it without comments (acme-client-source.ts).
#
#   acme_client.py due CONFIG [STATE]    exit 0 when a certificate should be requested now, else 1
#   acme_client.py issue CONFIG [STATE]  request one; on success it is in STATE/issued/
#   acme_client.py order|answer|finish CONFIG [STATE]  the same in three steps (see place_order)
#
# CONFIG is JSON: directory, address, profile, challenge ("http-01" or "tls-alpn-01") and port.
# STATE (default: systemd's $STATE_DIRECTORY) holds the account key; a file `force-renewal` there
# makes the next run renew. It prints nothing about anyone but the CA and this node.
import base64
import hashlib
import json
import os
import selectors
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


class AcmeError(Exception):
    pass


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None):
    run = subprocess.run(("openssl",) + args, input=data, capture_output=True, check=False)
    if run.returncode:
        raise AcmeError("openssl %s: %s" % (args[0], run.stderr.decode(errors="replace").strip()))
    return run.stdout


def new_key(path):
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)


class Acme:
    """One ACME conversation, signed (ES256) with the node's account key, made on first use."""

    def __init__(self, directory, key_path):
        if not os.path.exists(key_path):
            new_key(key_path)
        self.key_path = key_path
        point = openssl("pkey", "-in", key_path, "-pubout", "-outform", "DER")[-64:]
        self.jwk = {"crv": "P-256", "kty": "EC", "x": b64u(point[:32]), "y": b64u(point[32:])}
        canonical = json.dumps(self.jwk, sort_keys=True, separators=(",", ":")).encode()
        # The thumbprint binds every challenge answer to this account (RFC 8555, 8.1).
        self.thumbprint = b64u(hashlib.sha256(canonical).digest())
        self.kid = self.nonce = None
        self.dir = self.http(directory)[2]

    def http(self, url, body=None, method=None, accept="application/json"):
        headers = {"User-Agent": "acme-ip/1", "Accept": accept, "Content-Type": "application/jose+json"}
        try:
            resp = urllib.request.urlopen(urllib.request.Request(url, body, headers, method=method), timeout=30)
        except urllib.error.HTTPError as error:
            resp = error
        with resp:
            raw, headers, status = resp.read(), resp.headers, resp.status
        self.nonce = headers.get("Replay-Nonce", self.nonce)
        return status, headers, json.loads(raw) if raw and "json" in headers.get("Content-Type", "") else raw

    def sign(self, data):
        # openssl writes DER SEQUENCE {INTEGER r, INTEGER s}; JWS wants r || s, 32 bytes each.
        der = openssl("dgst", "-sha256", "-sign", self.key_path, data=data)
        r_end = 4 + der[3]
        return der[4:r_end][-32:].rjust(32, b"\0") + der[r_end + 2:][-32:].rjust(32, b"\0")

    def post(self, url, payload, accept="application/json"):
        """A signed POST (payload None: POST-as-GET). A rejected nonce is retried, as RFC 8555 asks."""
        for _ in range(8):
            if not self.nonce:
                self.http(self.dir["newNonce"], method="HEAD")
            protected = {"alg": "ES256", "nonce": self.nonce, "url": url}
            protected.update({"kid": self.kid} if self.kid else {"jwk": self.jwk})
            self.nonce = None
            head = b64u(json.dumps(protected).encode())
            body = "" if payload is None else b64u(json.dumps(payload).encode())
            signature = b64u(self.sign(("%s.%s" % (head, body)).encode()))
            jws = json.dumps({"protected": head, "payload": body, "signature": signature}).encode()
            status, headers, answer = self.http(url, jws, accept=accept)
            if status < 400:
                return headers, answer
            problem = answer if isinstance(answer, dict) else {}
            if problem.get("type") != "urn:ietf:params:acme:error:badNonce":
                raise AcmeError("%s answered %d %s %s" % (url, status, problem.get("type", ""), problem.get("detail", "")))
        raise AcmeError("%s kept rejecting nonces" % url)

    def poll(self, url):
        for _ in range(180):
            answer = self.post(url, None)[1]
            if answer["status"] not in ("pending", "processing"):
                return answer
            time.sleep(1)
        raise AcmeError("%s still %s after 3 minutes" % (url, answer["status"]))


# A stranger may flood the validation port while the CA validates, to make every renewal fail.
# One thread serves every connection; each gets HTTP_DEADLINE seconds in all to send its request
# (slow senders included); one address holds at most HTTP_PER_ADDRESS of them, and at
# HTTP_TOTAL the oldest connection of the address holding most is closed: a flood from a few
# addresses only ever displaces itself, and the CA's connection is answered in milliseconds.
HTTP_DEADLINE = 5
HTTP_PER_ADDRESS = 16
HTTP_TOTAL = 512
HTTP_MAX_REQUEST = 8192
# Connections waiting to be accepted: the kernel caps it at net.core.somaxconn (4096).
LISTEN_BACKLOG = 4096


def http_answer(request, answers):
    """The reply to one request's head: 200 with the key authorization, or a bare 404 or 400."""
    parts = request.split(b"\n", 1)[0].strip().split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
        code, body = 400, b""
    else:
        path = parts[1].decode("latin-1")
        token = path[28:] if parts[0] == b"GET" and path.startswith("/.well-known/acme-challenge/") else None
        body = answers.get(token, "").encode()
        code = 200 if body else 404
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[code]
    # No Server or Date header, no error page: nothing that names the software.
    return b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\n\r\n%s" % (code, reason.encode(), len(body), body)


class ChallengeServer:
    """http-01 answers and nothing else, from one thread, whatever a stranger does to the port."""

    def __init__(self, port, answers):
        self.answers = answers
        self.listener = socket.create_server(("", port), backlog=LISTEN_BACKLOG)
        self.listener.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.open = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def drop(self, conn):
        self.selector.unregister(conn)
        del self.open[conn]
        conn.close()

    def admit(self, conn, address):
        mine = [c for c, s in self.open.items() if s[0] == address]
        if len(mine) >= HTTP_PER_ADDRESS:
            self.drop(mine[0])
        elif len(self.open) >= HTTP_TOTAL:
            counts = {}
            for s in self.open.values():
                counts[s[0]] = counts.get(s[0], 0) + 1
            biggest = max(counts, key=counts.get)
            self.drop(next(c for c, s in self.open.items() if s[0] == biggest))
        conn.setblocking(False)
        self.open[conn] = [address, time.monotonic() + HTTP_DEADLINE, b""]
        self.selector.register(conn, selectors.EVENT_READ)

    def accept_all(self):
        while True:
            try:
                conn, peer = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # Out of descriptors or a connection reset before accept: the next round retries.
                return
            self.admit(conn, peer[0])

    def read(self, conn):
        state = self.open[conn]
        try:
            data = conn.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        state[2] += data
        head_done = b"\r\n\r\n" in state[2] or b"\n\n" in state[2]
        if data and not head_done and len(state[2]) <= HTTP_MAX_REQUEST:
            return
        if head_done or len(state[2]) > HTTP_MAX_REQUEST:
            try:
                # A reply of a few hundred bytes always fits a fresh socket's send buffer.
                conn.send(http_answer(state[2], self.answers))
            except OSError:
                pass
        self.drop(conn)

    def serve(self):
        while not self.stopped.is_set():
            for key, _ in self.selector.select(0.2):
                if key.fileobj is self.listener:
                    self.accept_all()
                elif key.fileobj in self.open:
                    self.read(key.fileobj)
            now = time.monotonic()
            for conn in [c for c, s in self.open.items() if s[1] <= now]:
                self.drop(conn)

    def stop(self):
        self.stopped.set()
        self.thread.join()
        for conn in list(self.open):
            self.drop(conn)
        self.selector.close()
        self.listener.close()


def alpn_listener(config, key_authorization, work):
    """tls-alpn-01 (RFC 8737, 8738): a self-signed certificate for the address carrying the digest
    of the key authorization, shown only to a ClientHello offering ALPN acme-tls/1 (the CA's)."""
    key, cert = os.path.join(work, "alpn.key"), os.path.join(work, "alpn.crt")
    new_key(key)
    digest = hashlib.sha256(key_authorization.encode()).hexdigest()
    openssl("req", "-x509", "-new", "-key", key, "-subj", "/", "-days", "1", "-out", cert,
            "-addext", "subjectAltName=IP:" + config["address"],
            "-addext", "1.3.6.1.5.5.7.1.31=critical,DER:04:20:" + ":".join(digest[i:i + 2] for i in range(0, 64, 2)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["acme-tls/1"])
    listener = socket.create_server(("", config["port"]), backlog=LISTEN_BACKLOG)
    # At most this many handshakes at once, each 5 s at most: a flood costs no more threads.
    slots = threading.BoundedSemaphore(64)

    def serve(conn):
        with conn:
            try:
                conn.settimeout(5)
                if b"\x0aacme-tls/1" in conn.recv(4096, socket.MSG_PEEK):
                    context.wrap_socket(conn, server_side=True).close()
            except OSError:
                pass
            finally:
                slots.release()

    def accept():
        while True:
            try:
                conn = listener.accept()[0]
            except OSError:
                return
            if not slots.acquire(blocking=False):
                conn.close()
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.close


def respond(config, token, key_authorization, work):
    """Answers the CA's validation on its port until the returned function is called."""
    if config["challenge"] == "tls-alpn-01":
        return alpn_listener(config, key_authorization, work)
    return ChallengeServer(config["port"], {token: key_authorization}).stop


# A certificate takes three steps, each its own command so that the unit opens the validation
# port (and, when borrowing it, redirects it) for the middle one only, as root between them:
# order (account and order), answer (the CA validates), finish (key, CSR, certificate). The
# order's facts pass between them in STATE/order.json. `issue` runs all three at once.
def order_path(state):
    return os.path.join(state, "order.json")


def place_order(config, state):
    acme = Acme(config["directory"], os.path.join(state, "account.key"))
    profiles = acme.dir.get("meta", {}).get("profiles")
    if profiles is not None and config["profile"] not in profiles:
        raise AcmeError("the CA offers no %s profile, only: %s" % (config["profile"], ", ".join(profiles)))
    # No contact address: nothing ties the node to a person.
    acme.kid = acme.post(acme.dir["newAccount"], {"termsOfServiceAgreed": True})[0]["Location"]
    headers, order = acme.post(acme.dir["newOrder"], {
        "identifiers": [{"type": "ip", "value": config["address"]}],
        "profile": config["profile"],
    })
    placed = {"kid": acme.kid, "url": headers["Location"], "authorizations": order["authorizations"], "finalize": order["finalize"]}
    with open(order_path(state), "w", encoding="utf-8") as out:
        json.dump(placed, out)
    return acme, placed


def resume(config, state):
    with open(order_path(state), encoding="utf-8") as source:
        placed = json.load(source)
    acme = Acme(config["directory"], os.path.join(state, "account.key"))
    acme.kid = placed["kid"]
    return acme, placed


def answer(acme, placed, config, state):
    work = tempfile.mkdtemp(dir=state)
    try:
        for url in placed["authorizations"]:
            authz = acme.post(url, None)[1]
            if authz["status"] == "valid":
                continue
            challenge = [c for c in authz["challenges"] if c["type"] == config["challenge"]]
            if not challenge:
                raise AcmeError("the CA offers no %s challenge" % config["challenge"])
            token = challenge[0]["token"]
            stop = respond(config, token, "%s.%s" % (token, acme.thumbprint), work)
            try:
                acme.post(challenge[0]["url"], {})
                authz = acme.poll(url)
            finally:
                stop()
            if authz["status"] != "valid":
                raise AcmeError("validation failed: %s" % json.dumps([c.get("error") for c in authz["challenges"]]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def finish(acme, placed, config, state):
    work = tempfile.mkdtemp(dir=state)
    try:
        key = os.path.join(work, "key.pem")
        new_key(key)
        # No subject: the address belongs in subjectAltName only (CAs refuse an IP in the CN).
        csr = openssl("req", "-new", "-key", key, "-subj", "/", "-outform", "DER", "-addext", "subjectAltName=IP:" + config["address"])
        acme.post(placed["finalize"], {"csr": b64u(csr)})
        order = acme.poll(placed["url"])
        if order["status"] != "valid":
            raise AcmeError("the order ended %s" % order["status"])
        chain = acme.post(order["certificate"], None, "application/pem-certificate-chain")[1]
        issued = os.path.join(state, "issued")
        os.makedirs(issued, exist_ok=True)
        os.replace(key, os.path.join(issued, "key.pem"))
        with open(os.path.join(work, "fullchain.pem"), "wb") as out:
            out.write(chain)
        os.replace(os.path.join(work, "fullchain.pem"), os.path.join(issued, "fullchain.pem"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for done in (order_path(state), os.path.join(state, "force-renewal")):
        if os.path.exists(done):
            os.unlink(done)
    return os.path.join(issued, "fullchain.pem")


def issue(config, state):
    acme, placed = place_order(config, state)
    answer(acme, placed, config, state)
    return finish(acme, placed, config, state)


def describe(path):
    return openssl("x509", "-in", path, "-noout", "-serial", "-startdate", "-enddate", "-ext", "subjectAltName").decode()


def due(config, state):
    """None yet, forced, for another address, or less than half of its lifetime left."""
    path = os.path.join(state, "issued", "fullchain.pem")
    if os.path.exists(os.path.join(state, "force-renewal")) or not os.path.exists(path):
        return True
    facts = describe(path)
    dates = dict(line.split("=", 1) for line in facts.splitlines() if "=" in line)
    middle = (ssl.cert_time_to_seconds(dates["notBefore"]) + ssl.cert_time_to_seconds(dates["notAfter"])) / 2
    return "IP Address:%s\n" % config["address"] not in facts + "\n" or time.time() >= middle


def main(command, config_path, state=os.environ.get("STATE_DIRECTORY")):
    os.umask(0o077)
    with open(config_path, encoding="utf-8") as source:
        config = json.load(source)
    try:
        if command == "due":
            return 0 if due(config, state) else 1
        if command == "order":
            place_order(config, state)
            return 0
        if command == "answer":
            answer(*resume(config, state), config, state)
            return 0
        chain = finish(*resume(config, state), config, state) if command == "finish" else issue(config, state)
        facts = describe(chain).replace("\n", " ").strip()
        print("new certificate for %s: %s" % (config["address"], facts))
        return 0
    except (AcmeError, OSError, KeyError, ValueError) as error:
        if command == "due":
            # A certificate that cannot be read is as good as none.
            return 0
        print("no certificate for %s: %s" % (config["address"], error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
