#!/usr/bin/env python3
"""Drive the Classic Load Balancer (SLB 2014-05-15) Python SDKs through whole flows.

    target/clients/venv/bin/python clients/slb_flows.py FLOW --port PORT --cert PATH --key PATH
        [--host 127.0.0.1] [--ak test] [--secret test] [--region cn-hangzhou] [--name NAME]
        [--signature-algorithm v3|v2] [--timeout 10]

FLOW:
  legacy     aliyun-python-sdk-slb on aliyun-python-sdk-core (AcsClient, region --region, which
             the SDK sends as RegionId): UploadServerCertificate (the PEM pair, --name), then
             DescribeServerCertificates by its ServerCertificateId, DeleteServerCertificate,
             DescribeServerCertificates again; and an upload of a key that is not PKCS#1 (the
             key converted to PKCS#8), to see the SDK's ServerException.
  tea        alibabacloud-slb20140515 (Client, Config(endpoint='HOST:PORT', protocol='http')):
             the same calls through the request models and *_with_options methods.
  certimate  what certimate's aliyun-slb uploader does (certimate-go/certimate,
             internal/pkg/core/uploader/providers/aliyun-slb/aliyun_slb.go), with the Tea SDK
             as certimate uses the Go one: DescribeServerCertificates of the region; a
             certificate counts as already uploaded when IsAliCloudCertificate is 0, the SHA-256
             of the leaf in hex equals Fingerprint without its colons (case-insensitive) and the
             common names are equal; otherwise the blank lines are stripped from the
             certificate and the key (regex (?m)^\\s*$\\n?, certimate#326) and the pair uploaded
             as certimate_<unix ms>. The flow runs twice, after one upload of the PEM as given
             (blank lines kept), to show what stripping avoids.

Prints one JSON line: client, ok (every call answered as the flow expects), flow, steps (one
per call: action, ok, http_status, code, message, request_id, body), sdk_versions, and what
the flow found. Private keys are redacted.
"""
import argparse
import hashlib
import importlib
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import alibabacloud_slb20140515  # noqa: F401
except ImportError:  # re-run under the harness venv
    venv_py = os.path.join(HERE, "..", "target", "clients", "venv", "bin", "python")
    if os.path.exists(venv_py) and not os.environ.get("CERT_PREFLIGHT_CLIENTS_REEXEC"):
        os.environ["CERT_PREFLIGHT_CLIENTS_REEXEC"] = "1"
        os.execv(venv_py, [venv_py, os.path.abspath(__file__)] + sys.argv[1:])
    raise SystemExit("alibabacloud_slb20140515 missing: run clients/install.sh")

import _common  # noqa: E402
import _tea_common  # noqa: E402

from importlib.metadata import version as dist_version  # noqa: E402

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

VERSIONS = ["aliyun-python-sdk-core", "aliyun-python-sdk-slb", "alibabacloud-slb20140515",
            "alibabacloud-tea-openapi"]

# certimate's regex for blank lines (aliyun_slb.go, certimate#326).
BLANK_LINES = re.compile(r"(?m)^\s*$\n?")


def parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("flow", choices=["legacy", "tea", "certimate"])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ak", default="testid")
    ap.add_argument("--secret", default="testsecret")
    ap.add_argument("--region", default="cn-hangzhou", help="RegionId (default cn-hangzhou)")
    ap.add_argument("--cert", required=True, help="the certificate chain, PEM")
    ap.add_argument("--key", required=True, help="the private key, PEM (PKCS#1 for CLB)")
    ap.add_argument("--name", default="www-2026", help="ServerCertificateName (legacy, tea)")
    ap.add_argument("--signature-algorithm", choices=["v3", "v2"], default="v3",
                    help="the Tea client's signature (default v3: ACS3-HMAC-SHA256)")
    ap.add_argument("--timeout", type=float, default=10.0)
    return ap


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def pkcs8_of(key_pem):
    """The same key as PKCS#8 PEM (what `openssl genpkey` writes)."""
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


# ---------------------------------------------------------------- the two clients

class Legacy:
    """aliyun-python-sdk-slb: one request class per action, sent by AcsClient."""

    client_name = "aliyun-python-sdk-slb"

    def __init__(self, args):
        from aliyunsdkcore import client as core_client
        self.args = args
        self.client = core_client.AcsClient(
            args.ak, args.secret, args.region, port=args.port, auto_retry=False,
            timeout=int(args.timeout), connect_timeout=int(args.timeout))

    def call(self, action, params):
        from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
        module = importlib.import_module(f"aliyunsdkslb.request.v20140515.{action}Request")
        req = getattr(module, f"{action}Request")()
        req.set_endpoint(self.args.host)
        req.set_protocol_type("http")
        for name, value in params.items():
            setter = getattr(req, f"set_{name}", None)
            if setter is not None:
                setter(value)
            else:
                req.add_query_param(name, value)
        step = {"action": action}
        try:
            body = _common.parse_json(self.client.do_action_with_exception(req))
            step.update(ok=True, http_status=200, body=body,
                        request_id=(body or {}).get("RequestId"))
        except ServerException as e:
            step.update(ok=False, http_status=e.get_http_status(), code=e.get_error_code(),
                        message=e.get_error_msg(), request_id=e.get_request_id(),
                        exception=type(e).__name__)
        except ClientException as e:
            step.update(ok=False, code=e.get_error_code(), message=e.get_error_msg(),
                        exception=type(e).__name__)
        return step


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Tea:
    """alibabacloud-slb20140515: request models and *_with_options methods, built and called as
    the other Tea drivers do (_tea_common)."""

    client_name = "alibabacloud-slb20140515"

    def __init__(self, args):
        import alibabacloud_slb20140515.client as client_mod
        self.client = _tea_common.make_client(client_mod, args.host, args.port, args.ak,
                                              args.secret, args.timeout,
                                              args.signature_algorithm)
        self.runtime = _tea_common.runtime(args.timeout)

    def call(self, action, params):
        from alibabacloud_slb20140515 import models
        request = getattr(models, f"{action}Request")().from_map(dict(params))
        method = getattr(self.client, f"{snake(action)}_with_options")
        _, outcome = _tea_common.call(method, request, self.runtime)
        return {"action": action, **outcome}


# ---------------------------------------------------------------- the flows

def certificates(step):
    """The ServerCertificate items of a describe step."""
    body = step.get("body") or {}
    return ((body.get("ServerCertificates") or {}).get("ServerCertificate")) or []


def upload_describe_delete(client, args, cert, key):
    """Upload, describe by id, delete, describe again; a PKCS#8 key refused."""
    steps = []
    upload = client.call("UploadServerCertificate", {
        "RegionId": args.region, "ServerCertificateName": args.name,
        "ServerCertificate": cert, "PrivateKey": key,
    })
    steps.append(upload)
    found = {"uploaded": None}
    expected = [True, True, True, True, False]
    cert_id = (upload.get("body") or {}).get("ServerCertificateId")
    if cert_id:
        found["uploaded"] = cert_id
        described = client.call("DescribeServerCertificates",
                                {"RegionId": args.region, "ServerCertificateId": cert_id})
        steps.append(described)
        found["described"] = [c.get("ServerCertificateId") for c in certificates(described)]
        steps.append(client.call("DeleteServerCertificate",
                                 {"RegionId": args.region, "ServerCertificateId": cert_id}))
        after = client.call("DescribeServerCertificates", {"RegionId": args.region})
        steps.append(after)
        found["after_delete"] = [c.get("ServerCertificateId") for c in certificates(after)]
    steps.append(client.call("UploadServerCertificate", {
        "RegionId": args.region, "ServerCertificateName": args.name,
        "ServerCertificate": cert, "PrivateKey": pkcs8_of(key),
    }))
    ok = [s["ok"] for s in steps] == expected
    return ok, steps, found


def leaf(cert_pem):
    first = cert_pem.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    return x509.load_pem_x509_certificate(first.encode())


def certimate_once(client, args, cert_pem, key_pem, steps):
    """One run of certimate's uploader; returns (reused, certificate id, name)."""
    certificate = leaf(cert_pem)
    der = certificate.public_bytes(serialization.Encoding.DER)
    sha256 = hashlib.sha256(der).hexdigest()
    common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = common[0].value if common else ""
    listed = client.call("DescribeServerCertificates", {"RegionId": args.region})
    steps.append(listed)
    for item in certificates(listed):
        same = (item.get("IsAliCloudCertificate") == 0
                and sha256.lower() == (item.get("Fingerprint") or "").replace(":", "").lower()
                and common_name.lower() == (item.get("CommonName") or "").lower())
        if same:
            return True, item.get("ServerCertificateId"), item.get("ServerCertificateName")
    name = f"certimate_{int(time.time() * 1000)}"
    upload = client.call("UploadServerCertificate", {
        "RegionId": args.region, "ServerCertificateName": name,
        "ServerCertificate": BLANK_LINES.sub("", cert_pem).strip(),
        "PrivateKey": BLANK_LINES.sub("", key_pem).strip(),
    })
    steps.append(upload)
    return False, (upload.get("body") or {}).get("ServerCertificateId"), name


def certimate(client, args, cert, key):
    steps = []
    # What certimate#326 reported: the PEM as given, blank lines kept.
    unstripped = client.call("UploadServerCertificate", {
        "RegionId": args.region, "ServerCertificateName": "as-given",
        "ServerCertificate": cert, "PrivateKey": key,
    })
    steps.append(unstripped)
    runs = [certimate_once(client, args, cert, key, steps) for _ in range(2)]
    # The fingerprint the service shows, against the leaf's SHA-1 and SHA-256.
    der = leaf(cert).public_bytes(serialization.Encoding.DER)
    last = next((s for s in reversed(steps) if s["action"] == "DescribeServerCertificates"), {})
    listed = certificates(last)
    fingerprints = [(c.get("Fingerprint") or "").replace(":", "").lower() for c in listed]
    found = {
        "as_given": {"ok": unstripped["ok"], "code": unstripped.get("code")},
        "runs": [{"reused": r, "id": i, "name": n} for r, i, n in runs],
        "fingerprint_is_sha1": hashlib.sha1(der).hexdigest() in fingerprints,
        "fingerprint_is_sha256": hashlib.sha256(der).hexdigest() in fingerprints,
    }
    ok = all(s["ok"] for s in steps[1:]) and all(i for _, i, _ in runs)
    return ok, steps, found


def main():
    args = parser().parse_args()
    cert, key = read(args.cert), read(args.key)
    red = _common.Redactor({"PrivateKey": key, "Key": pkcs8_of(key)})
    if args.flow == "legacy":
        client = Legacy(args)
    else:
        client = Tea(args)
    result = {"client": client.client_name, "flow": args.flow,
              "sdk_versions": {p: dist_version(p) for p in VERSIONS}}
    if args.flow == "certimate":
        result["signature_algorithm"] = args.signature_algorithm
        ok, steps, found = certimate(client, args, cert, key)
    else:
        if args.flow == "tea":
            result["signature_algorithm"] = args.signature_algorithm
        ok, steps, found = upload_describe_delete(client, args, cert, key)
    result.update(ok=ok, steps=steps, found=found)
    return _common.emit(result, red)


if __name__ == "__main__":
    sys.exit(main())
