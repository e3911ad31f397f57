#!/usr/bin/env python3
"""Check the signature of captured requests, as a server must (a reference for the server's
signature code, standard library only).

    python3 clients/verify_capture.py [--secret testsecret] FILE...

FILE: JSON lines written by capture_server.py (or the JSON files under clients/captured/).
For each request prints one JSON line: {"file", "index", "scheme": "rpc-v1"|"acs3", "ok",
"signature_sent", "signature_expected", "string_to_sign_sha256", "params": [names]}.
Exit status 1 if any request does not verify.

RPC v1 (HMAC-SHA1, SignatureVersion 1.0): parameters = query merged with an
application/x-www-form-urlencoded body, form-decoded ('+' is a space), all but Signature,
empty values included; sorted by name (byte order); name and value percent-encoded per
RFC 3986 (unreserved A-Z a-z 0-9 - _ . ~ kept, upper-case hex); joined with '=' and '&';
StringToSign = METHOD + "&%2F&" + percentEncode(that); Signature =
Base64(HMAC-SHA1(secret + "&", StringToSign)).

ACS3-HMAC-SHA256 (V3): CanonicalRequest = METHOD \\n path \\n canonicalQuery \\n
canonicalHeaders \\n signedHeaders \\n x-acs-content-sha256, where canonicalQuery is the
query form-decoded, sorted by name, values RFC 3986-encoded; canonicalHeaders is
"name:value\\n" for each signed header (lower-case name, trimmed value), so it ends with a
newline and the request has an empty line before signedHeaders; StringToSign =
"ACS3-HMAC-SHA256\\n" + hex(sha256(CanonicalRequest)); Signature =
hex(HMAC-SHA256(secret, StringToSign)).
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import urllib.parse


def pct(s):
    return urllib.parse.quote(s, safe="-_.~")


def header(rec, name):
    for k, v in rec["headers"]:
        if k.lower() == name:
            return v
    return None


def rpc_v1(rec, secret):
    path, _, qs = rec["path"].partition("?")
    params = urllib.parse.parse_qsl(qs, keep_blank_values=True)
    ctype = (header(rec, "content-type") or "").lower()
    if rec.get("body") and ctype.startswith("application/x-www-form-urlencoded"):
        params += urllib.parse.parse_qsl(rec["body"], keep_blank_values=True)
    sent = [v for k, v in params if k == "Signature"]
    rest = sorted(((k, v) for k, v in params if k != "Signature"), key=lambda kv: kv[0].encode())
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in rest)
    sts = f"{rec['method']}&%2F&{pct(canonical)}"
    sig = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return {
        "scheme": "rpc-v1",
        "ok": sent == [sig],
        "signature_sent": sent[0] if sent else None,
        "signature_expected": sig,
        "string_to_sign_sha256": hashlib.sha256(sts.encode()).hexdigest(),
        "params": [k for k, _ in rest],
        "_string_to_sign": sts,
    }


def acs3(rec, secret):
    auth = header(rec, "authorization")
    algo, _, rest = auth.partition(" ")
    fields = dict(p.split("=", 1) for p in rest.split(","))
    signed = fields["SignedHeaders"].split(";")
    path, _, qs = rec["path"].partition("?")
    q = sorted(urllib.parse.parse_qsl(qs, keep_blank_values=True), key=lambda kv: kv[0].encode())
    canon_query = "&".join(f"{k}={pct(v)}" for k, v in q)
    canon_headers = "".join(f"{h}:{(header(rec, h) or '').strip()}\n" for h in signed)
    payload = header(rec, "x-acs-content-sha256")
    creq = f"{rec['method']}\n{path or '/'}\n{canon_query}\n{canon_headers}\n{';'.join(signed)}\n{payload}"
    sts = f"{algo}\n{hashlib.sha256(creq.encode()).hexdigest()}"
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    body_hash = hashlib.sha256((rec.get("body") or "").encode("latin-1")).hexdigest()
    return {
        "scheme": "acs3",
        "ok": fields.get("Signature") == sig and payload == body_hash,
        "signature_sent": fields.get("Signature"),
        "signature_expected": sig,
        "string_to_sign_sha256": hashlib.sha256(sts.encode()).hexdigest(),
        "params": [k for k, _ in q],
        "signed_headers": signed,
        "_string_to_sign": sts,
    }


def verify(rec, secret="testsecret"):
    """Result dict for one captured request; its "_string_to_sign" holds every parameter
    (private key included): do not print it."""
    auth = header(rec, "authorization") or ""
    return acs3(rec, secret) if auth.startswith("ACS3-") else rpc_v1(rec, secret)


def records(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        one = json.loads(text)
        if isinstance(one, dict) and "request" in one:
            return [one["request"]]
        if isinstance(one, dict):
            return [one]
    except ValueError:
        pass
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--secret", default="testsecret")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    bad = 0
    for path in args.files:
        for i, rec in enumerate(records(path)):
            res = verify(rec, args.secret)
            bad += not res["ok"]
            res.pop("_string_to_sign")  # holds the PEM parameters, private key included
            print(json.dumps({"file": path, "index": i, **res}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
