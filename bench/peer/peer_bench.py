#!/usr/bin/env python3
"""Peer benchmark: `cert-preflight serve` against moto (the AWS mock, ACM ImportCertificate).

Not run in CI: it is a benchmark a user runs by hand, on an otherwise idle machine.

Run (from the repository root; one command does everything):

    python3 bench/peer/peer_bench.py

What it does:
  1. Makes a venv in target/peer-bench/venv (reused when present) and installs the pinned
     moto[server], cryptography, Werkzeug and Flask into it (skipped when the pins are
     already installed), then re-runs itself with that venv's Python.
  2. Builds the server: `cargo build --release -p cert-preflight-cli` (skip with --skip-build,
     or give another binary with --bin PATH).
  3. Generates the test pairs with `cryptography` (outside any timed part, cached in
     target/peer-bench/pairs-*.json): per key type (P-256, RSA-2048) one CA and N distinct
     leaves, each with its own key, CN/SAN wNNNN.example.com, valid from now-1 day to now+90
     days; the fullchain is leaf + CA.
  4. For each key type and connection count, runs interleaved rounds (serve, moto, serve,
     moto, ...). Every round starts a fresh server of its side (serve on a new SQLite file,
     moto with an empty memory), warms it up, then sends pre-built, pre-signed uploads
     (distinct names, distinct leaves) over 1 or 8 connections driven by one event-loop
     thread of this process (the same client for both; keep-alive, except that moto_server
     closes the connection after every answer, so its uploads reconnect), and measures uploads/s,
     p50/p99 latency, the server's CPU per upload (utime+stime from /proc of the server's
     process tree, before and after the round) and this client's CPU per upload. Every
     answer is checked (200 and the expected JSON); a round with a failure is reported and
     left out of the medians.
  5. Prints the medians over rounds side by side, with the ratios serve/moto, then the
     behaviour table: the same bad inputs sent to both, and what each answers.

A fresh server per round is needed because serve's SetCdnDomainSSLCertificate refuses a leaf it
already stores (CertificateContent.Duplicated): with one server for the whole run every
round would need its own RSA-2048 leaves, and generating those costs ~0.1-0.3 s each.

Options: --uploads (serve, per round), --moto-uploads (moto, per round), --warmup, --rounds,
--connections 1,8, --keys p256,rsa2048, --bin PATH, --skip-build, --no-behaviour.
Both servers are stopped at the end, on Ctrl-C and on errors (and die with this process).
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "target", "peer-bench")
VENV = os.path.join(WORK, "venv")
VENV_PY = os.path.join(VENV, "bin", "python")

# The versions measured. moto's speed is mostly Werkzeug's dev server, Flask and cryptography,
# so those are pinned too (they are what `pip install 'moto[server]==5.2.6'` resolved).
PINS = ["moto[server]==5.2.6", "cryptography==51.0.1", "Werkzeug==3.1.9", "Flask==3.1.3"]


def ensure_venv():
    """Create the venv and install the pins (idempotent), then re-exec under its Python."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    marker = os.path.join(VENV, "peer-bench-pins.txt")
    wanted = "\n".join(PINS) + "\n"
    have = open(marker).read() if os.path.exists(marker) else None
    if not os.path.exists(VENV_PY) or have != wanted:
        os.makedirs(WORK, exist_ok=True)
        if not os.path.exists(VENV_PY):
            print(f"creating venv {VENV}", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        print(f"installing {' '.join(PINS)} into {VENV}", file=sys.stderr)
        subprocess.run([VENV_PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS],
                       check=True)
        with open(marker, "w") as f:
            f.write(wanted)
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__), *sys.argv[1:]])


def parse_args():
    ap = argparse.ArgumentParser(description="Peer benchmark: cert-preflight serve vs moto ACM ImportCertificate")
    ap.add_argument("--uploads", type=int, default=2000, help="timed uploads per serve round (default 2000)")
    ap.add_argument("--moto-uploads", type=int, default=500,
                    help="timed uploads per moto round (default 500; moto is slower, the figures are per upload)")
    ap.add_argument("--warmup", type=int, default=100, help="untimed uploads before each round (default 100)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per side and configuration (default 3)")
    ap.add_argument("--connections", default="1,8", help="connection counts, comma-separated (default 1,8)")
    ap.add_argument("--keys", default="p256,rsa2048", help="key types, comma-separated: p256,rsa2048")
    ap.add_argument("--bin", help="cert-preflight binary to run (default: build target/release/cert-preflight)")
    ap.add_argument("--skip-build", action="store_true", help="do not run cargo build")
    ap.add_argument("--no-behaviour", action="store_true", help="skip the behaviour table")
    args = ap.parse_args()
    args.connections = [int(c) for c in args.connections.split(",") if c]
    args.keys = [k for k in args.keys.split(",") if k]
    for k in args.keys:
        if k not in ("p256", "rsa2048"):
            ap.error(f"unknown key type {k!r} (p256, rsa2048)")
    if min(args.uploads, args.moto_uploads, args.rounds, *args.connections) < 1:
        ap.error("counts must be positive")
    return args


if __name__ == "__main__":
    ARGS = parse_args()  # --help works before any install
    ensure_venv()

# ---- from here on we run inside the venv ------------------------------------------------------

import base64  # noqa: E402
import concurrent.futures  # noqa: E402
import ctypes  # noqa: E402
import datetime  # noqa: E402
import hashlib  # noqa: E402
import hmac  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import selectors  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

AK, SECRET = "bench", "benchsecret"
AWS_AK = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example key; moto does not verify signatures
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_REGION = "us-east-1"


# ================================================================ pairs

def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def new_key(kind):
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "rsa1024":
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(kind)


def pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def pem_cert(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def make_ca(kind):
    key = new_key(kind)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "peer-bench"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"peer-bench CA {kind}")])
    now = _now()
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return {"cert": pem_cert(cert), "key": pem_key(key)}


def make_leaf(ca, kind, host, before_days=-1, after_days=90):
    """A leaf for `host` signed by `ca` ({"cert","key"} PEM), valid now+before..now+after days."""
    ca_key = serialization.load_pem_private_key(ca["key"].encode(), None)
    ca_cert = x509.load_pem_x509_certificate(ca["cert"].encode())
    key = new_key(kind)
    now = _now()
    rsa_leaf = kind.startswith("rsa")
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=before_days))
            .not_valid_after(now + datetime.timedelta(days=after_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=rsa_leaf,
                                         content_commitment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return {"host": host, "cert": pem_cert(cert), "key": pem_key(key), "key_obj": key}


def _leaf_job(job):
    ca, kind, host = job
    leaf = make_leaf(ca, kind, host)
    del leaf["key_obj"]
    return leaf


def load_pairs(kind, count):
    """The cached CA and at least `count` leaves of `kind`; generates what is missing."""
    path = os.path.join(WORK, f"pairs-{kind}.json")
    data = None
    if os.path.exists(path):
        with open(path) as f:
            data = json.load(f)
        # Leaves are valid for 90 days from their making: start over well before that.
        if time.time() - data["created"] > 30 * 86400:
            data = None
    if data is None:
        data = {"created": time.time(), "ca": make_ca(kind), "leaves": []}
    missing = count - len(data["leaves"])
    if missing > 0:
        t0 = time.time()
        print(f"generating {missing} {kind} leaves (cached in {path}) ...", file=sys.stderr, flush=True)
        start = len(data["leaves"])
        jobs = [(data["ca"], kind, f"w{start + i:04d}.example.com") for i in range(missing)]
        with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            data["leaves"].extend(pool.map(_leaf_job, jobs, chunksize=16))
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, path)
        print(f"  done in {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
    return data


# ================================================================ request building (untimed)

def pct(s):
    """RFC 3986 percent-encoding: unreserved kept, everything else %XX upper-case."""
    return urllib.parse.quote(s, safe="-_.~")


def http_request(host, headers, body):
    head = ["POST / HTTP/1.1", f"Host: {host}"]
    head += [f"{k}: {v}" for k, v in headers]
    head += [f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(head).encode() + body


_nonce = itertools.count()


def serve_rpc(address, params):
    """A signed RPC v1 POST (HMAC-SHA1, parameters and signature in the form body) as bytes."""
    params = dict(params)
    params.update({
        "Format": "JSON", "AccessKeyId": AK, "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": f"peer-{os.getpid()}-{next(_nonce)}-{os.urandom(4).hex()}",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&%2F&" + pct(canonical)
    sig = base64.b64encode(hmac.new((SECRET + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    body = (canonical + "&Signature=" + pct(sig)).encode()
    return http_request(address, [("Content-Type", "application/x-www-form-urlencoded")], body)


def serve_upload(address, name, host, fullchain, key):
    return serve_rpc(address, {
        "Action": "SetCdnDomainSSLCertificate", "Version": "2018-05-10",
        "DomainName": host, "SSLProtocol": "on", "SSLPub": fullchain, "SSLPri": key,
        "CertName": name, "CertType": "upload",
    })


def _sha256(b):
    return hashlib.sha256(b).hexdigest()


def _hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def acm_call(address, target, payload):
    """An ACM JSON-1.1 POST with a real SigV4 Authorization (moto reads the region and service
    from its credential scope and does not verify the signature) as bytes."""
    body = json.dumps(payload).encode()
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    day = amz_date[:8]
    headers = {"content-type": "application/x-amz-json-1.1", "host": address,
               "x-amz-date": amz_date, "x-amz-target": f"CertificateManager.{target}"}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["POST", "/", "", *(f"{k}:{headers[k]}" for k in sorted(headers)), "",
                           signed, _sha256(body)])
    scope = f"{day}/{AWS_REGION}/acm/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, _sha256(canonical.encode())])
    k = _hmac256(("AWS4" + AWS_SECRET).encode(), day)
    for part in (AWS_REGION, "acm", "aws4_request"):
        k = _hmac256(k, part)
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    auth = f"AWS4-HMAC-SHA256 Credential={AWS_AK}/{scope}, SignedHeaders={signed}, Signature={sig}"
    return http_request(address, [("Content-Type", headers["content-type"]),
                                  ("X-Amz-Date", amz_date), ("X-Amz-Target", headers["x-amz-target"]),
                                  ("Authorization", auth)], body)


def b64(s):
    return base64.standard_b64encode(s if isinstance(s, bytes) else s.encode()).decode()


def acm_import(address, cert, key, chain):
    payload = {"Certificate": b64(cert), "PrivateKey": b64(key)}
    if chain is not None:
        payload["CertificateChain"] = b64(chain)
    return acm_call(address, "ImportCertificate", payload)


# ================================================================ servers

def _die_with_parent():
    """In the child before exec: get SIGTERM when this benchmark process dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Server:
    """A server process; `stop()` ends it (SIGTERM, then SIGKILL after 5 s)."""

    def __init__(self, side, argv, port_from, tmpdir):
        self.side = side
        self.log_path = os.path.join(tmpdir, f"{side}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        try:
            self.port = port_from(self)
        except BaseException:
            self.stop()
            raise
        self.address = f"127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()


def _serve_port(server):
    line = server.proc.stdout.readline().decode().strip()
    prefix = "listening on http://127.0.0.1:"
    if not line.startswith(prefix):
        raise RuntimeError(f"serve did not start: {line!r}; log: {open(server.log_path).read()[-2000:]}")
    return int(line[len(prefix):])


def _moto_port(server):
    # Werkzeug prints " * Running on http://127.0.0.1:PORT" on stderr once it listens.
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"moto_server exited: {open(server.log_path).read()[-2000:]}")
        with open(server.log_path) as f:
            for line in f:
                if "Running on http://127.0.0.1:" in line:
                    return int(line.rsplit(":", 1)[1].split()[0])
        time.sleep(0.05)
    raise RuntimeError("moto_server did not start within 60 s")


def start_serve(binary, tmpdir):
    db = os.path.join(tmpdir, "peer.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return Server("serve", [binary, "serve", "--listen", "127.0.0.1:0", "--db", db,
                            "--access-key", f"{AK}:{SECRET}"], _serve_port, tmpdir)


def start_moto(tmpdir):
    return Server("moto", [os.path.join(VENV, "bin", "moto_server"), "-H", "127.0.0.1", "-p", "0"],
                  _moto_port, tmpdir)


CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid):
    """utime+stime (seconds) of `pid` and its live descendants, plus their reaped children."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            # after "pid (comm)": state=0 ... utime=11 stime=12 cutime=13 cstime=14
            total += sum(int(x) for x in fields[11:15])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / CLK_TCK


# ================================================================ the client (same for both)

def drive(address, requests, nconn):
    """Sends `requests` (bytes) over `nconn` connections from one selector loop, one request in
    flight per connection, keep-alive while the server keeps the connection open.

    moto_server (Werkzeug's development server) answers every request with `Connection: close`
    and closes: the client then opens a new connection for that slot's next request, and the
    connect counts in that request's latency, as it would for any client of that server.

    Returns {"seconds", "lat" (ns, request order), "answers" [(status, body)], "cpu" (client
    seconds), "reconnects"}.
    """
    host, port = address.rsplit(":", 1)
    target = (host, int(port))

    def connect():
        s = socket.create_connection(target)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        return s

    total = len(requests)
    socks = [connect() for _ in range(min(nconn, total))]
    sel = selectors.DefaultSelector()
    answers = [None] * total
    lat = [0] * total
    state = {}  # socket -> [request index, bytes left to send, bytes received, start ns]
    it = iter(range(total))
    done = 0
    reconnects = 0

    def send_next(s, t0=None):
        """Put the next request on `s` (or retire `s` when none is left)."""
        i = next(it, None)
        if i is None:
            sel.unregister(s)
            s.close()
            del state[s]
            return
        st = state[s]
        st[0], st[1], st[3] = i, memoryview(requests[i]), t0 or time.perf_counter_ns()
        st[2].clear()
        n = s.send(st[1])
        st[1] = st[1][n:]
        sel.modify(s, selectors.EVENT_WRITE if st[1] else selectors.EVENT_READ)

    cpu0 = time.process_time()
    t_start = time.perf_counter()
    for s in socks:
        state[s] = [None, None, bytearray(), 0]
        sel.register(s, selectors.EVENT_READ)
        send_next(s)
    while done < total:
        for key, ev in sel.select():
            s = key.fileobj
            st = state[s]
            if ev & selectors.EVENT_WRITE:
                n = s.send(st[1])
                st[1] = st[1][n:]
                if not st[1]:
                    sel.modify(s, selectors.EVENT_READ)
                continue
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError(f"{address} closed a connection before answering ({done} answers so far)")
            buf = st[2]
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                continue
            head = bytes(buf[:end]).lower() + b"\r\n"
            cl = head.find(b"\r\ncontent-length:")
            if cl < 0:
                raise RuntimeError(f"answer without Content-Length: {head!r}")
            length = int(head[cl + 17:head.find(b"\r\n", cl + 17)])
            if len(buf) < end + 4 + length:
                continue
            i = st[0]
            lat[i] = time.perf_counter_ns() - st[3]
            answers[i] = (int(head[9:12]), bytes(buf[end + 4:end + 4 + length]))
            done += 1
            if b"\r\nconnection: close\r\n" in head:
                # The server closes this connection: the next request goes on a new one.
                t0 = time.perf_counter_ns()
                sel.unregister(s)
                s.close()
                del state[s]
                s = connect()
                reconnects += 1
                state[s] = [None, None, bytearray(), 0]
                sel.register(s, selectors.EVENT_READ)
                send_next(s, t0)
            else:
                send_next(s)
    seconds = time.perf_counter() - t_start
    cpu = time.process_time() - cpu0
    sel.close()
    for s in state:
        s.close()
    return {"seconds": seconds, "lat": lat, "answers": answers, "cpu": cpu, "reconnects": reconnects}


def one(address, request):
    """One request on its own connection: (status, parsed JSON or text)."""
    [(status, body)] = drive(address, [request], 1)["answers"]
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body.decode(errors="replace")


def serve_ok(status, body):
    if status != 200:
        return False
    try:
        j = json.loads(body)
    except ValueError:
        return False
    return isinstance(j, dict) and "RequestId" in j and "Code" not in j


def moto_ok(status, body):
    if status != 200:
        return False
    try:
        j = json.loads(body)
    except ValueError:
        return False
    return isinstance(j, dict) and str(j.get("CertificateArn", "")).startswith("arn:aws:acm:")


# ================================================================ the rounds

def pctile(sorted_ns, q):
    return sorted_ns[max(0, math.ceil(q * len(sorted_ns)) - 1)]


_round_serial = itertools.count()


def build_uploads(side, address, pairs, count, first):
    """`count` requests for leaves first..first+count-1 (distinct names and leaves)."""
    serial = next(_round_serial)
    out = []
    for i in range(first, first + count):
        leaf = pairs["leaves"][i]
        if side == "serve":
            out.append(serve_upload(address, f"peer-{serial}-{i}", leaf["host"],
                                    leaf["cert"] + pairs["ca"]["cert"], leaf["key"]))
        else:
            out.append(acm_import(address, leaf["cert"], leaf["key"], pairs["ca"]["cert"]))
    return out


def run_round(side, binary, tmpdir, pairs, nconn, count, warmup):
    """Start a fresh server, warm it up, time `count` uploads, stop it; the round's figures."""
    server = start_serve(binary, tmpdir) if side == "serve" else start_moto(tmpdir)
    ok = serve_ok if side == "serve" else moto_ok
    try:
        # Warm-up on leaves the timed part does not use (those after the first `count`).
        warm = build_uploads(side, server.address, pairs, warmup, len(pairs["leaves"]) - warmup)
        bad = [a for a in drive(server.address, warm, nconn)["answers"] if not ok(*a)]
        if bad:
            raise RuntimeError(f"{side} refused a warm-up upload: {bad[0][0]} {bad[0][1][:300]!r}")
        reqs = build_uploads(side, server.address, pairs, count, 0)
        cpu0 = tree_cpu(server.pid)
        d = drive(server.address, reqs, nconn)
        server_cpu = tree_cpu(server.pid) - cpu0
    finally:
        server.stop()
    failures = [a for a in d["answers"] if not ok(*a)]
    lat = sorted(d["lat"])
    return {
        "side": side, "uploads": count, "seconds": d["seconds"], "rate": count / d["seconds"],
        "p50_ms": pctile(lat, 0.50) / 1e6, "p99_ms": pctile(lat, 0.99) / 1e6,
        "server_us": server_cpu / count * 1e6, "client_us": d["cpu"] / count * 1e6,
        "reconnects": d["reconnects"],
        "failures": len(failures),
        "first_failure": None if not failures else f"{failures[0][0]} {failures[0][1][:200]!r}",
    }


def fmt_rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_us(x):
    return f"{x / 1000:,.2f} ms" if x >= 10000 else f"{x:,.0f} µs"


def median_of(rounds, key):
    return statistics.median(r[key] for r in rounds)


def benchmark(args, binary, tmpdir):
    results = {}  # (kind, nconn) -> {"serve": [rounds], "moto": [rounds]}
    need = max(args.uploads, args.moto_uploads) + args.warmup
    for kind in args.keys:
        pairs = load_pairs(kind, need)
        pairs = {"ca": pairs["ca"], "leaves": pairs["leaves"][:need]}
        for nconn in args.connections:
            res = results[(kind, nconn)] = {"serve": [], "moto": []}
            for r in range(args.rounds):
                for side, count in (("serve", args.uploads), ("moto", args.moto_uploads)):
                    fig = run_round(side, binary, tmpdir, pairs, nconn, count, args.warmup)
                    res[side].append(fig)
                    print(f"  {kind:8} {nconn} conn  round {r + 1}  {side:5}  {fmt_rate(fig['rate']):>7} uploads/s"
                          f"  p50 {fig['p50_ms']:.2f} ms  p99 {fig['p99_ms']:.2f} ms"
                          f"  server {fmt_us(fig['server_us'])}/upload  client {fmt_us(fig['client_us'])}/upload"
                          + (f"  FAILURES {fig['failures']}: {fig['first_failure']}" if fig["failures"] else ""),
                          flush=True)
    return results


def print_results(args, results):
    print()
    print("## Uploads through one server: medians over rounds")
    print()
    print(f"serve: {args.uploads} timed uploads per round; moto: {args.moto_uploads}; {args.rounds} rounds each, "
          f"interleaved; {args.warmup} warm-up uploads before each round; a fresh server per round.")
    print()
    print("| key | conns | server | uploads/s | p50 | p99 | server CPU/upload | client CPU/upload | valid rounds |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for (kind, nconn), res in results.items():
        med = {}
        for side in ("serve", "moto"):
            valid = [r for r in res[side] if r["failures"] == 0]
            label = {"serve": "cert-preflight serve", "moto": "moto ACM"}[side]
            if not valid:
                print(f"| {kind} | {nconn} | {label} | — | — | — | — | — | 0/{len(res[side])} |")
                continue
            med[side] = {k: median_of(valid, k) for k in ("rate", "p50_ms", "p99_ms", "server_us", "client_us")}
            m = med[side]
            print(f"| {kind} | {nconn} | {label} | {fmt_rate(m['rate'])} | {m['p50_ms']:.2f} ms | {m['p99_ms']:.2f} ms"
                  f" | {fmt_us(m['server_us'])} | {fmt_us(m['client_us'])} | {len(valid)}/{len(res[side])} |")
        if len(med) == 2:
            ratios.append((kind, nconn, med["serve"]["rate"] / med["moto"]["rate"],
                           med["serve"]["server_us"] / med["moto"]["server_us"]))
    print()
    for side, label in (("serve", "cert-preflight serve"), ("moto", "moto_server")):
        rounds = [r for res in results.values() for r in res[side]]
        uploads = sum(r["uploads"] for r in rounds)
        reconnects = sum(r["reconnects"] for r in rounds)
        print(f"{label}: {reconnects:,} of {uploads:,} timed uploads had to open a new connection"
              + (" (the server answers `Connection: close` and closes; the connect is in their latency)"
                 if reconnects else " (keep-alive held)") + ".")
    print()
    print("## Ratios serve/moto (of the medians)")
    print()
    print("| key | conns | uploads/s serve/moto | server CPU per upload serve/moto | goal (P-256: uploads/s ≥ 20×) |")
    print("|---|---:|---:|---:|---|")
    for kind, nconn, rate_ratio, cpu_ratio in ratios:
        goal = ("met" if rate_ratio >= 20 else "**not met**") if kind == "p256" else "—"
        print(f"| {kind} | {nconn} | {rate_ratio:.1f}× | {cpu_ratio:.3f} (moto {1 / cpu_ratio:.0f}× more) | {goal} |")


# ================================================================ behaviour table

def behaviour(binary, tmpdir):
    """The same bad inputs to both servers; returns markdown rows."""
    ca = load_pairs("p256", 0)["ca"]
    ca_pem = ca["cert"]
    n = itertools.count()

    def leaf(kind="p256", **kw):
        return make_leaf(ca, kind, f"bad{next(n):02d}.example.com", **kw)

    good, other = leaf(), leaf()
    expired = leaf(before_days=-100, after_days=-10)
    future = leaf(before_days=10, after_days=100)
    edl = leaf("ed25519")
    enc = leaf()
    enc_key = enc["key_obj"].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.BestAvailableEncryption(b"peer-bench")).decode()
    small = leaf("rsa1024")
    crlf = leaf()
    garbage_host = f"bad{next(n):02d}.example.com"
    garbage = "this is not a certificate, just some text\n"

    def to_crlf(s):
        return s.replace("\r\n", "\n").replace("\n", "\r\n")

    # (label, domain, serve SSLPub, serve SSLPri, ACM Certificate, ACM PrivateKey, ACM CertificateChain, note)
    cases = [
        ("valid P-256 pair (control)", good["host"], good["cert"] + ca_pem, good["key"],
         good["cert"], good["key"], ca_pem),
        ("key of another leaf (mismatch)", good["host"], good["cert"] + ca_pem, other["key"],
         good["cert"], other["key"], ca_pem),
        ("chain with the leaf second (ACM: Certificate = CA, CertificateChain = leaf)", other["host"],
         ca_pem + other["cert"], other["key"], ca_pem, other["key"], other["cert"]),
        ("expired leaf", expired["host"], expired["cert"] + ca_pem, expired["key"],
         expired["cert"], expired["key"], ca_pem),
        ("not-yet-valid leaf", future["host"], future["cert"] + ca_pem, future["key"],
         future["cert"], future["key"], ca_pem),
        ("Ed25519 certificate + key", edl["host"], edl["cert"] + ca_pem, edl["key"],
         edl["cert"], edl["key"], ca_pem),
        ("encrypted PKCS#8 key", enc["host"], enc["cert"] + ca_pem, enc_key,
         enc["cert"], enc_key, ca_pem),
        ("garbage instead of the certificate PEM", garbage_host, garbage, good["key"],
         garbage, good["key"], ca_pem),
        ("RSA-1024 leaf", small["host"], small["cert"] + ca_pem, small["key"],
         small["cert"], small["key"], ca_pem),
        ("certificate with CRLF line ends", crlf["host"], to_crlf(crlf["cert"] + ca_pem), crlf["key"],
         to_crlf(crlf["cert"]), crlf["key"], to_crlf(ca_pem)),
    ]

    def serve_answer(status, j):
        if status == 200 and isinstance(j, dict) and "Code" not in j:
            return "accepted"
        if isinstance(j, dict):
            return f"{status} `{j.get('Code')}`: {j.get('Message', '')}"
        return f"{status} {str(j)[:120]}"

    def moto_answer(status, j):
        if status == 200 and isinstance(j, dict) and "CertificateArn" in j:
            return "accepted"
        if isinstance(j, dict):
            return f"{status} `{j.get('__type', j.get('Code'))}`: {j.get('message', j.get('Message', ''))}"
        title = str(j).split("<title>", 1)[1].split("</title>", 1)[0] if "<title>" in str(j) else None
        if title:
            return f"{title} (an HTML error page)"
        return f"{status} {' '.join(str(j).split())[:120]}"

    serve = start_serve(binary, tmpdir)
    moto = start_moto(tmpdir)
    rows = []
    try:
        for k, (label, host, pub, pri, acert, akey, achain) in enumerate(cases):
            s = serve_answer(*one(serve.address, serve_upload(serve.address, f"bad-{k}", host, pub, pri)))
            m = moto_answer(*one(moto.address, acm_import(moto.address, acert, akey, achain)))
            rows.append((label, s, m))
            if label.startswith("Ed25519"):
                # Can each side still read its store after taking (or refusing) the Ed25519 pair?
                st, j = one(serve.address, serve_rpc(serve.address, {
                    "Action": "DescribeDomainCertificateInfo", "Version": "2018-05-10", "DomainName": host}))
                s2 = f"read-back `DescribeDomainCertificateInfo`: {'works (200)' if st == 200 else serve_answer(st, j)}"
                st, j = one(moto.address, acm_call(moto.address, "ListCertificates", {}))
                if st == 200 and isinstance(j, dict) and "CertificateSummaryList" in j:
                    m2 = f"`ListCertificates`: works (200, {len(j['CertificateSummaryList'])} certificates)"
                else:
                    m2 = f"`ListCertificates`: {moto_answer(st, j)}"
                rows.append(("… then list / read back the store", s2, m2))
    finally:
        serve.stop()
        moto.stop()
    return rows


# ================================================================ main

def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return model


def git(*a):
    try:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(args):
    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C ends the run even when started from a shell that ignores SIGINT for it.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    binary = args.bin or os.path.join(ROOT, "target", "release", "cert-preflight")
    if not args.bin and not args.skip_build:
        print("cargo build --release -p cert-preflight-cli", file=sys.stderr, flush=True)
        subprocess.run(["cargo", "build", "--release", "-p", "cert-preflight-cli"], cwd=ROOT, check=True)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no binary at {binary} (build it, or give --bin)")

    from importlib.metadata import version
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    print("# Peer benchmark: cert-preflight serve vs moto ACM ImportCertificate")
    print()
    print(f"- commit `{git('rev-parse', '--short', 'HEAD')}`{dirty}; binary {os.path.relpath(binary, ROOT)}")
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"- machine: nproc {nproc}, {machine()}, Linux {platform.release()}; load average at start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- moto {version('moto')}, Werkzeug {version('werkzeug')}, Flask {version('flask')}, "
          f"cryptography {version('cryptography')}, Python {platform.python_version()}")
    print("- client: one Python thread, a selector loop over keep-alive sockets, requests pre-built and pre-signed")
    print(flush=True)

    with tempfile.TemporaryDirectory(prefix="peer-bench-") as tmpdir:
        results = benchmark(args, binary, tmpdir)
        print_results(args, results)
        print()
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.no_behaviour:
            rows = behaviour(binary, tmpdir)
            print()
            print("## Behaviour on the same bad inputs")
            print()
            print("serve: `SetCdnDomainSSLCertificate` (SSLPub = fullchain, SSLPri = key); moto: ACM `ImportCertificate` "
                  "(Certificate = leaf, PrivateKey = key, CertificateChain = CA). CA and leaves P-256 unless said.")
            print()
            print("| input | cert-preflight serve | moto ACM |")
            print("|---|---|---|")
            for row in rows:
                print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")


if __name__ == "__main__":
    try:
        main(ARGS)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
