import type { NodeFile } from "../relays/types";

export const fetchVerifiedPath = "/usr/local/lib/lifeline/fetch-verified";

/**
 * Downloads an artifact and keeps it only if its sha256 matches the pinned value.
 *
 * Python, not curl: every image that runs cloud-init has python3 and the CA store (cloud-init
 * needs both), so fetching installs nothing. Listing curl and ca-certificates as packages made apt
 * upgrade whichever of them the image shipped older, and ca-certificates' upgrade rebuilds the
 * certificate store: about 30 s of a slow mtproto boot (`npm run bench:boot`).
 *
 * Like `curl --fail --location --retry 5 --retry-delay 2 --retry-connrefused`: redirects are
 * followed (GitHub's release downloads redirect), connection failures, timeouts and 408, 429 and 5xx
 * answers are retried, other HTTP errors are not. A tampered or truncated download never appears at
 * DEST, and neither does a partial one.
 */
const script = `#!/usr/bin/python3
# Usage: fetch-verified URL SHA256 DEST
import hashlib, http.client, os, sys, tempfile, time, urllib.error, urllib.request

ATTEMPTS, PAUSE_S, SOCKET_TIMEOUT_S, ATTEMPT_LIMIT_S = 5, 2, 15, 300
RETRIED_STATUS = {408, 429, 500, 502, 503, 504}

def download(url, out):
    digest = hashlib.sha256()
    give_up = time.monotonic() + ATTEMPT_LIMIT_S
    received = 0
    with urllib.request.urlopen(url, timeout=SOCKET_TIMEOUT_S) as response:
        promised = response.headers.get("Content-Length")
        while chunk := response.read(1 << 16):
            if time.monotonic() > give_up:
                raise TimeoutError(f"took longer than {ATTEMPT_LIMIT_S} s")
            digest.update(chunk)
            out.write(chunk)
            received += len(chunk)
    # read() ends quietly when the server hangs up early: a short download is retried, like curl's.
    if promised is not None and received != int(promised):
        raise http.client.IncompleteRead(b"", int(promised) - received)
    return digest.hexdigest()

def main(url, expected, dest):
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    for attempt in range(1, ATTEMPTS + 1):
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(dest) + ".", dir=os.path.dirname(dest) or ".")
        try:
            with os.fdopen(fd, "wb") as out:
                actual = download(url, out)
            if actual != expected:
                print(f"lifeline: checksum mismatch for {url}: expected {expected}, got {actual}", file=sys.stderr)
                return 1
            os.replace(tmp, dest)
            return 0
        except urllib.error.HTTPError as e:
            reason, retry = f"HTTP {e.code}", e.code in RETRIED_STATUS
        except (OSError, http.client.HTTPException, ValueError) as e:
            reason, retry = str(getattr(e, "reason", e)) or type(e).__name__, not isinstance(e, ValueError)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if not retry or attempt == ATTEMPTS:
            print(f"lifeline: download failed for {url}: {reason} (attempt {attempt} of {ATTEMPTS})", file=sys.stderr)
            return 1
        time.sleep(PAUSE_S)

sys.exit(main(*sys.argv[1:4]) if len(sys.argv) == 4 else "usage: fetch-verified URL SHA256 DEST")
`;

export function fetchVerifiedFile(): NodeFile {
  return { path: fetchVerifiedPath, content: script, permissions: "0755" };
}
