"""Shared pieces of the Python drivers (standard library only).

Argument parsing, loading of --param/--param-file, redaction of private keys, and the one
JSON line each driver prints.
"""
import argparse
import json
import re
import sys
import urllib.parse

# Parameters whose value is a private key: never printed.
PRIVATE_PARAMS = {"SSLPri", "PrivateKey", "Key", "SSLPrivateKey"}

# product -> RPC API version
PRODUCTS = {
    "cdn": "2018-05-10",
    "live": "2016-11-01",
    "dcdn": "2018-01-15",
    "vod": "2017-03-21",
    "cas": "2020-04-07",
}

# Actions the harness knows, to infer --product from --action when it is not given.
ACTION_PRODUCT = {
    "SetDomainServerCertificate": "cdn",
    "SetCdnDomainSSLCertificate": "cdn",
    "DescribeDomainCertificateInfo": "cdn",
    "DescribeCdnDomainDetail": "cdn",
    "SetLiveDomainCertificate": "live",
    "DescribeLiveDomainCertificateInfo": "live",
    "SetDcdnDomainCertificate": "dcdn",
    "SetDcdnDomainSSLCertificate": "dcdn",
    "DescribeDcdnDomainCertificateInfo": "dcdn",
    "SetVodDomainCertificate": "vod",
    "SetVodDomainSSLCertificate": "vod",
    "DescribeVodDomainCertificateInfo": "vod",
    "UploadUserCertificate": "cas",
    "GetUserCertificateDetail": "cas",
    "DeleteUserCertificate": "cas",
    "ListUserCertificateOrder": "cas",
    "ListCertificates": "cas",
}


def base_parser(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--host", default="127.0.0.1", help="server address (default 127.0.0.1)")
    ap.add_argument("--port", type=int, required=True, help="server port")
    ap.add_argument("--ak", default="testid", help="AccessKey ID (default testid)")
    ap.add_argument("--secret", default="testsecret", help="AccessKey secret (default testsecret)")
    ap.add_argument("--product", choices=sorted(PRODUCTS), help="cdn|live|dcdn|vod|cas (inferred from --action when known)")
    ap.add_argument("--action", required=True, help="API action, e.g. SetCdnDomainSSLCertificate")
    ap.add_argument("--api-version", help="override the API version the client sends (for InvalidVersion tests)")
    ap.add_argument("--param", action="append", default=[], metavar="Name=Value",
                    help="API parameter (repeatable)")
    ap.add_argument("--param-file", action="append", default=[], metavar="Name=PATH",
                    help="API parameter read from a file, byte for byte (repeatable)")
    ap.add_argument("--timestamp", help="override Timestamp / x-acs-date, e.g. 2020-01-01T00:00:00Z")
    ap.add_argument("--nonce", help="override SignatureNonce / x-acs-signature-nonce")
    ap.add_argument("--timeout", type=float, default=10.0, help="connect and read timeout, seconds (default 10)")
    return ap


def resolve_product(args):
    if args.product:
        return args.product
    p = ACTION_PRODUCT.get(args.action)
    if not p:
        raise SystemExit(f"cannot infer --product from --action {args.action}; give --product")
    return p


def load_params(args):
    """Ordered dict of API parameters, in command-line order (--param first, then --param-file)."""
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--param wants Name=Value, got {item!r}")
        params[name] = value
    for item in args.param_file:
        name, sep, path = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--param-file wants Name=PATH, got {item!r}")
        with open(path, "rb") as f:
            params[name] = f.read().decode("utf-8")
    return params


# ---------------------------------------------------------------- redaction

def _encodings(v):
    """Every spelling of a secret value that a client or server may echo."""
    out = set()
    for base in (v, v.replace("\n", "\r\n")):
        e1 = urllib.parse.quote(base, safe="-_.~")
        e1p = urllib.parse.quote_plus(base, safe="-_.~")
        e1l = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), e1)
        for e in (base, e1, e1p, e1l, json.dumps(base)[1:-1]):
            out.add(e)
            out.add(urllib.parse.quote(e, safe="-_.~"))
            out.add(urllib.parse.quote(e, safe="-_.~/"))
    # longest first so that a longer spelling is replaced before its prefix
    return sorted((e for e in out if len(e) >= 16), key=len, reverse=True)


# PEM armour ("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY", ...) in any spelling a client or
# server may echo. Upper case only: PEM armour is upper case, and a message such as "The private
# key does not match the certificate." is no key material.
_KEY_MARKERS = re.compile(r"PRIVATE(\s|%20|%2520|\+|%2[Bb])KEY")


class Redactor:
    def __init__(self, params):
        self.secrets = []
        for name, value in params.items():
            if name in PRIVATE_PARAMS and value:
                for e in _encodings(value):
                    self.secrets.append((e, f"<redacted {name}>"))

    def text(self, s):
        if not isinstance(s, str):
            return s
        for e, label in self.secrets:
            if e in s:
                s = s.replace(e, label)
        if _KEY_MARKERS.search(s):
            # a spelling we did not foresee: drop the whole string rather than leak a key
            return "<redacted: contained private key material>"
        return s

    def obj(self, o):
        if isinstance(o, str):
            return self.text(o)
        if isinstance(o, dict):
            return {self.text(k) if isinstance(k, str) else k: self.obj(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [self.obj(v) for v in o]
        return o


def emit(result, redactor):
    """Print the one JSON line (keys in a fixed order) and return the exit code (0 = the
    driver ran; the call's outcome is in "ok")."""
    order = ["client", "ok", "http_status", "code", "message", "request_id", "body", "exception"]
    out = {k: result.get(k) for k in order}
    for k, v in result.items():
        if k not in out:
            out[k] = v
    line = json.dumps(redactor.obj(out), ensure_ascii=False, separators=(",", ":"), default=str)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


def parse_json(text):
    if text is None:
        return None
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return None
