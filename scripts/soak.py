#!/usr/bin/env python3
"""Soak test of `cert-preflight serve` (not run in CI): mixed valid and invalid uploads and
read-backs at full speed for a while, the server's resident memory sampled every second.

It starts `target/release/cert-preflight serve --db <tmp> --at 2026-06-01T00:00:00Z` (build it
first: `cargo build --release`), then keeps WORKERS keep-alive connections busy with, in turn:
a valid RSA-2048 or P-256 upload under a new name (200), the same name again
(Certificate.Duplicated), a mismatched pair (Certificate.MissMatch), a body that is not PEM
(InvalidCertificate), a wrong signature (SignatureDoesNotMatch), and a read-back
(DescribeDomainCertificateInfo, 200). Every answer is compared with the expected code; any
other answer is counted as unexpected. At the end it prints requests/s, the unexpected answers,
and the resident memory after warm-up (the first two minutes: the nonce cache fills its
100,000 entries within them at full speed) against the end.

Usage: python3 scripts/soak.py [--seconds 600] [--workers 8]
Exit status 1 when an answer was unexpected or memory grew by more than 10 % after warm-up.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SOAK_BIN", os.path.join(ROOT, "target", "release", "cert-preflight"))
AK, SECRET = "soak", "soaksecret"


def read(path):
    with open(os.path.join(ROOT, "testdata", path), encoding="utf-8") as f:
        return f.read()


PAIRS = [
    (read("rsa2048/fullchain.pem"), read("rsa2048/key.pkcs1.pem")),
    (read("p256/fullchain.pem"), read("p256/key.sec1.pem")),
]
MISMATCH = (read("rsa2048/fullchain.pem"), read("p256/key.sec1.pem"))


def pct(s):
    return urllib.parse.quote(s, safe="-_.~")


def signed_body(params, secret=SECRET):
    """RPC v1: HMAC-SHA1 over POST&%2F&enc(sorted query), the signature in the URL."""
    params = dict(params)
    params.update({
        "AccessKeyId": AK, "Format": "JSON", "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0", "SignatureNonce": os.urandom(16).hex(),
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&%2F&" + pct(canonical)
    signature = base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    return "/?Signature=" + pct(signature), canonical


def upload(name, chain, key):
    return {
        "Action": "SetDomainServerCertificate", "Version": "2018-05-10",
        "DomainName": "www.example.com", "ServerCertificateStatus": "on",
        "ServerCertificate": chain, "PrivateKey": key, "CertName": name,
    }


def plan(serial):
    """The request of step `serial` and the code it must get (None: 200)."""
    kind = serial % 6
    name = f"soak-{serial // 6}"
    chain, key = PAIRS[(serial // 6) % 2]
    if kind == 0:
        return upload(name, chain, key), SECRET, None
    if kind == 1:
        return upload(name, chain, key), SECRET, "Certificate.Duplicated"
    if kind == 2:
        return upload(name + "-x", *MISMATCH), SECRET, "Certificate.MissMatch"
    if kind == 3:
        return upload(name + "-y", "not pem", key), SECRET, "InvalidCertificate"
    if kind == 4:
        return upload(name + "-z", chain, key), "wrong", "SignatureDoesNotMatch"
    return {"Action": "DescribeDomainCertificateInfo", "Version": "2018-05-10",
            "DomainName": "www.example.com"}, SECRET, None


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run cargo build --release first")
    tmp = tempfile.mkdtemp()
    server = subprocess.Popen(
        [BIN, "serve", "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "soak.sqlite"),
         "--at", "2026-06-01T00:00:00Z", "--access-key", f"{AK}:{SECRET}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    host, port = server.stdout.readline().strip().removeprefix("listening on http://").rsplit(":", 1)
    counter = itertools.count()
    lock = threading.Lock()
    done = {"n": 0, "unexpected": 0, "examples": []}
    deadline = time.monotonic() + args.seconds

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        # Each worker runs whole groups of six steps (upload, the same name again, …) in
        # order, so the duplicate always follows its upload.
        group, step = next(counter), 0
        while time.monotonic() < deadline:
            serial = group * 6 + step
            step += 1
            if step == 6:
                group, step = next(counter), 0
            params, secret, expected = plan(serial)
            target, body = signed_body(params, secret)
            conn.request("POST", target, body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            ok = (response.status == 200) if expected is None else (f'"Code":"{expected}"' in data)
            with lock:
                done["n"] += 1
                if not ok:
                    done["unexpected"] += 1
                    if len(done["examples"]) < 5:
                        done["examples"].append((expected, response.status, data[:300]))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    start = time.monotonic()
    for t in threads:
        t.start()
    samples = []
    while time.monotonic() < deadline:
        time.sleep(1)
        samples.append((round(time.monotonic() - start), rss_kib(server.pid), done["n"]))
    for t in threads:
        t.join(timeout=60)
    server.terminate()
    server.wait(timeout=30)
    elapsed = time.monotonic() - start
    warm = [kib for t, kib, _ in samples if t >= 120] or [kib for _, kib, _ in samples]
    growth = (warm[-1] - warm[0]) / warm[0] * 100 if warm and warm[0] else 0.0
    print(f"{done['n']} requests in {elapsed:.0f} s: {done['n'] / elapsed:.0f} requests/s, "
          f"{args.workers} connections")
    print(f"unexpected answers: {done['unexpected']}")
    for example in done["examples"]:
        print(f"  expected {example[0]}, got HTTP {example[1]}: {example[2]}")
    print("resident memory by minute (MiB): " + ", ".join(
        f"{t // 60}:{kib / 1024:.1f}" for t, kib, _ in samples if t % 60 == 0))
    print(f"resident memory: {samples[0][1] / 1024:.1f} MiB at 1 s, {warm[0] / 1024:.1f} MiB after "
          f"warm-up, {warm[-1] / 1024:.1f} MiB at the end ({growth:+.1f} %), peak "
          f"{max(k for _, k, _ in samples) / 1024:.1f} MiB")
    sys.exit(1 if done["unexpected"] or growth > 10 else 0)


if __name__ == "__main__":
    main()
