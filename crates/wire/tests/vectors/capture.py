#!/usr/bin/env python3
"""Record requests made by the real Alibaba Cloud clients, as test vectors for `wire`.

Run from a venv with the packages listed in VERSIONS.txt:

    python3 -m venv /work/target-serve/venv
    /work/target-serve/venv/bin/pip install aliyun-python-sdk-core aliyun-python-sdk-cdn \
        alibabacloud-cdn20180510 alibabacloud-tea-openapi alibabacloud-openapi-util
    target/clients/venv/bin/python crates/wire/tests/vectors/capture.py crates/wire/tests/vectors

A loopback HTTP server (127.0.0.1, a free port) records method, target, headers and body of
each request and answers 200 {"RequestId":"x"}. Each client is pointed at it with the access
key testid/testsecret; the client's own string to sign (and, for V3, canonical request) is
captured by wrapping its HMAC/hash calls. The parameter values are fake PEM text (no real key):
newlines, spaces, '+', '/', '=', '*', '~', '&' and a non-ASCII letter.
"""

import base64
import hashlib
import hmac as std_hmac
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.request

AK_ID = "testid"
AK_SECRET = "testsecret"

FAKE_CERT = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIB+zCCAaGgAwIBAgIU/abc+def/ghi==\n"
    "a*b~c d+e/f=g\n"
    "-----END CERTIFICATE-----\n"
)
FAKE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEI+/not/a/real/key==\n"
    "-----END PRIVATE KEY-----\n"
)
CERT_NAME = "my cert*~/+=&\u00e9"

RECORDED = []


class Recorder(http.server.BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        RECORDED.append(
            {
                "method": self.command,
                "target": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8"),
            }
        )
        out = b'{"RequestId":"x"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = _record
    do_POST = _record

    def log_message(self, *args):
        pass


class HmacSpy:
    """Wraps `hmac` in a client module to see the message it signs."""

    def __init__(self):
        self.messages = []

    def new(self, key, msg=None, digestmod=None):
        self.messages.append(msg.decode("utf-8") if isinstance(msg, bytes) else msg)
        return std_hmac.new(key, msg, digestmod)

    def __getattr__(self, name):
        return getattr(std_hmac, name)


def take_request():
    assert len(RECORDED) == 1, RECORDED
    return RECORDED.pop()


def legacy_sdk(port):
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
    from aliyunsdkcdn.request.v20180510.SetDomainServerCertificateRequest import (
        SetDomainServerCertificateRequest,
    )

    seen = []
    original = getattr(composer, "__compose_string_to_sign")

    def spy(method, queries):
        sts = original(method, queries)
        seen.append(sts)
        return sts

    setattr(composer, "__compose_string_to_sign", spy)
    client = AcsClient(AK_ID, AK_SECRET, "cn-hangzhou", port=port)
    req = SetDomainServerCertificateRequest()
    req.set_endpoint("127.0.0.1")
    req.set_protocol_type("http")
    req.set_DomainName("cdn.example.com")
    req.set_ServerCertificateStatus("on")
    req.set_ServerCertificate(FAKE_CERT)
    req.set_PrivateKey(FAKE_KEY)
    req.set_CertType("upload")
    req.set_CertName(CERT_NAME)
    req.set_ForceSet("1")
    client.do_action_with_exception(req)
    setattr(composer, "__compose_string_to_sign", original)
    return {"sdk_string_to_sign": seen[-1]}


def tea_client(port, algorithm):
    from alibabacloud_tea_openapi import utils as tea_utils
    from alibabacloud_tea_openapi.models import Config
    from alibabacloud_cdn20180510.client import Client
    from alibabacloud_cdn20180510 import models

    spy = HmacSpy()
    original_hmac = tea_utils.hmac
    tea_utils.hmac = spy
    canonical = []
    original_hash = tea_utils.Utils.hash

    def hash_spy(raw, sign_type):
        canonical.append(raw)
        return original_hash(raw, sign_type)

    tea_utils.Utils.hash = staticmethod(hash_spy)
    try:
        config = Config(
            access_key_id=AK_ID,
            access_key_secret=AK_SECRET,
            endpoint=f"127.0.0.1:{port}",
            protocol="http",
        )
        if algorithm is not None:
            config.signature_algorithm = algorithm
        client = Client(config)
        client.set_cdn_domain_sslcertificate(
            models.SetCdnDomainSSLCertificateRequest(
                domain_name="cdn.example.com",
                cert_name=CERT_NAME,
                cert_type="upload",
                sslprotocol="on",
                sslpub=FAKE_CERT,
                sslpri=FAKE_KEY,
            )
        )
    finally:
        tea_utils.hmac = original_hmac
        tea_utils.Utils.hash = staticmethod(original_hash)
    out = {"sdk_string_to_sign": spy.messages[-1]}
    if algorithm is None:
        out["sdk_canonical_request"] = canonical[-1].decode("utf-8")
    return out


def acme_urlencode(text):
    """acme.sh's `_ali_urlencode_upper`: keep [A-Za-z0-9._~-], %XX (upper hex) the rest."""
    keep = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
    return "".join(chr(b) if b in keep else "%%%02X" % b for b in text.encode("utf-8"))


def acme_sh(port):
    """acme.sh `deploy/ali_cdn.sh` + `dnsapi/dns_ali.sh` `_ali_rest "..." "" POST`."""
    timestamp = time.strftime("%Y-%m-%dT%H%%3A%M%%3A%SZ", time.gmtime())
    query = "AccessKeyId=" + AK_ID
    query += "&Action=SetCdnDomainSSLCertificate"
    query += "&CertType=upload"
    query += "&DomainName=cdn.example.com"
    query += "&Format=json"
    query += "&SSLPri=" + acme_urlencode(FAKE_KEY)
    query += "&SSLProtocol=on"
    query += "&SSLPub=" + acme_urlencode(FAKE_CERT)
    query += "&SignatureMethod=HMAC-SHA1"
    query += "&SignatureNonce=" + secrets.token_hex(16)
    query += "&SignatureVersion=1.0"
    query += "&Timestamp=" + timestamp
    query += "&Version=2018-05-10"
    sts = "POST&%2F&" + acme_urlencode(query)
    mac = std_hmac.new((AK_SECRET + "&").encode(), sts.encode(), hashlib.sha1).digest()
    signature = acme_urlencode(base64.b64encode(mac).decode())
    url = f"http://127.0.0.1:{port}/?Signature={signature}"
    req = urllib.request.Request(
        url,
        data=query.encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(req) as resp:
        resp.read()
    return {"sdk_string_to_sign": sts}


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = [
        ("legacy_rpc_set_domain_server_certificate", "aliyun-python-sdk-core (RPC v1)",
         lambda: legacy_sdk(port)),
        ("tea_v3_set_cdn_domain_ssl_certificate", "alibabacloud-cdn20180510 (ACS3-HMAC-SHA256)",
         lambda: tea_client(port, None)),
        ("tea_v2_set_cdn_domain_ssl_certificate", "alibabacloud-cdn20180510 signature_algorithm=v2",
         lambda: tea_client(port, "v2")),
        ("acmesh_post_set_cdn_domain_ssl_certificate", "acme.sh _ali_rest POST (reproduced)",
         lambda: acme_sh(port)),
    ]
    for name, client, run in cases:
        extra = run()
        vector = {"name": name, "client": client, "access_key_id": AK_ID,
                  "access_key_secret": AK_SECRET}
        vector.update(take_request())
        vector.update(extra)
        with open(os.path.join(outdir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(vector, f, indent=2, ensure_ascii=False)
            f.write("\n")
        print("wrote", name)
    server.shutdown()


if __name__ == "__main__":
    main()
