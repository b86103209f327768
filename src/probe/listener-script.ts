import { probeListenerPort } from "./protocol";

/**
 * The probe's listener, run by Debian's python3 (on every cloud image: cloud-init is written in
 * it). Python, not Node, because it can read SO_ORIGINAL_DST: the port a connection was dialled
 * on before the firewall redirected it here. It answers the request in `protocol.ts` and nothing
 * else, with no Server header and no words that name anything.
 */
export const probeListenerScript = `#!/usr/bin/python3
# Answers a nonce and the port a connection was dialled on (before the firewall's redirect)
# with an HMAC keyed with the probe token. See the stack's README, "Finding the open ports".
import asyncio, hashlib, hmac, os, re, socket, struct

KEY = os.environ["PROBE_TOKEN"].encode()
PORT = int(os.environ.get("PROBE_PORT", "${probeListenerPort}"))
SO_ORIGINAL_DST = 80
REQUEST = re.compile(rb"GET /\\?n=([0-9a-f]{32})&p=[0-9]{1,5} HTTP/1\\.[01]\\r\\n")
HEAD = (b"HTTP/1.1 %s\\r\\nContent-Type: text/plain\\r\\nAccess-Control-Allow-Origin: *\\r\\n"
        b"Cache-Control: no-store\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n")


def dialled_port(sock):
    try:
        if sock.family == socket.AF_INET6:
            raw = sock.getsockopt(socket.IPPROTO_IPV6, SO_ORIGINAL_DST, 28)
        else:
            raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
        return struct.unpack_from("!H", raw, 2)[0]
    except OSError:
        # Not redirected: dialled straight at the listener.
        return sock.getsockname()[1]


async def answer(reader, writer):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\\r\\n\\r\\n"), 10)
        found = REQUEST.match(head)
        if found:
            port = dialled_port(writer.get_extra_info("socket"))
            body = hmac.new(KEY, b"%s:%d" % (found.group(1), port), hashlib.sha256).hexdigest().encode()
            writer.write(HEAD % (b"200 OK", len(body)) + body)
        else:
            writer.write(HEAD % (b"404 Not Found", 0))
        await writer.drain()
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, OSError):
        pass
    finally:
        writer.close()


async def main():
    servers = []
    for host in ("0.0.0.0", "::"):
        try:
            servers.append(await asyncio.start_server(answer, host, PORT, backlog=4096, limit=8192))
        except OSError:
            if host == "0.0.0.0":
                raise
    await asyncio.gather(*(server.serve_forever() for server in servers))


asyncio.run(main())
`;
