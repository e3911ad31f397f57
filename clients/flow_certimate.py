#!/usr/bin/env python3
"""certimate's CAS-then-CDN flow, call by call, against a server: the deployer aliyun-cdn
with its certificate manager aliyun-cas.

    target/clients/venv/bin/python clients/flow_certimate.py --port PORT --cert FULLCHAIN
        --key KEY --domain D [--ak ID] [--secret S] [--region R] [--resource-group-id G]
        [--read-back] [--host 127.0.0.1] [--timeout 10]

What certimate does (certimate-go/certimate, pkg/core/certmgr/providers/aliyun-cas/
aliyun_cas.go `Upload`, and pkg/core/deployer/providers/aliyun-cdn/aliyun_cdn.go `Deploy` and
`updateDomainCertificate`; the CAS client is made for the CDN deployer with region cn-hangzhou
unless --region is set and not cn-*):
  1. ListUserCertificateOrder {ResourceGroupId if set, CurrentPage=n, ShowSize=50,
     OrderType=CERT}, page after page until a page has fewer than 50 items. For each item
     whose CommonName equals (case-insensitively) the certificate's subject CN and whose
     SerialNo equals the certificate's serial in hex once both have their leading '0's
     stripped ("阿里云 CAS 会在序列号前补零"): GetUserCertificateDetail {CertId} (no CertFilter)
     and compare its Cert's first certificate with ours (DER): equal = already uploaded, the
     flow takes CertificateId and Name from the item and InstanceId and CertIdentifier from the
     detail, and uploads nothing.
  2. Otherwise UploadUserCertificate {ResourceGroupId if set, Name=certimate_<unix millis>,
     Cert, Key}, then GetUserCertificateDetail {CertId=<the upload's CertId>, CertFilter=true}:
     Id, InstanceId, CertIdentifier.
  3. For the domain ("*.example.com" becomes ".example.com"): SetCdnDomainSSLCertificate
     {DomainName, CertType=cas, CertId and CertRegion split from CertIdentifier at its first
     '-', SSLProtocol=on} and no CertName (certimate stopped sending it in 2025-09).
  With --read-back, then DescribeDomainCertificateInfo {DomainName} (not certimate's: the
  test's check, same client).

certimate uses the Go Tea SDK (github.com/alibabacloud-go/cas-20200407/v4 and cdn-20180510/v9 on
darabonba-openapi/v2, V3 signatures by default). This is its stand-in: the Python Tea SDK
alibabacloud_cas20200407 and alibabacloud_cdn20180510 on alibabacloud-tea-openapi, V3
signatures (ACS3-HMAC-SHA256), the same requests models and wire; every response is also
checked against the model's declared types as Go's typed decoding would (model_type_errors,
see _tea_common.py), where the Python models themselves accept anything.

Prints one JSON line per call (client, ok, http_status, code, message, request_id, body,
exception, then flow, step, action, tool (false for the read-back), params as sent with the key
redacted, read (the fields certimate reads from the answer), model_type_errors), then one
summary line (flow, summary=true, ok, uploaded, cert_id, cert_name, cert_identifier,
cert_region, instance_id, matched_serial, domains, calls, failed_at). Exit status 0 when the
flow ran (its outcome is in the summary's ok), 2 for a usage error.
"""
import importlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import alibabacloud_tea_openapi  # noqa: F401
except ImportError:  # re-run under the harness venv
    venv_py = os.path.join(HERE, "..", "target", "clients", "venv", "bin", "python")
    if os.path.exists(venv_py) and not os.environ.get("CERT_PREFLIGHT_CLIENTS_REEXEC"):
        os.environ["CERT_PREFLIGHT_CLIENTS_REEXEC"] = "1"
        os.execv(venv_py, [venv_py, os.path.abspath(__file__)] + sys.argv[1:])
    raise SystemExit("alibabacloud_tea_openapi missing: run clients/install.sh")

import argparse  # noqa: E402
from importlib.metadata import version as dist_version  # noqa: E402

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

import _common  # noqa: E402
import _tea_common  # noqa: E402

CAS = "alibabacloud_cas20200407"
CDN = "alibabacloud_cdn20180510"
PAGE = 50
# The read-back's fields shown in `read` (the test's check).
READ_BACK = ("DomainName", "CertType", "CertId", "CertName", "CertRegion",
             "ServerCertificateStatus", "CertExpireTime")


def first_certificate(pem):
    """The first certificate of a PEM text (Go's xcert.ParseCertificateFromPEM), or None."""
    try:
        return x509.load_pem_x509_certificate(pem.encode("utf-8"))
    except (ValueError, TypeError, AttributeError):
        return None


def common_name(cert):
    """Go's Subject.CommonName: the last CN attribute."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[-1].value if names else ""


def serial_hex(cert):
    """Go's SerialNumber.Text(16): lower-case hex, no leading zeros."""
    return format(cert.serial_number, "x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ak", default="testid")
    ap.add_argument("--secret", default="testsecret")
    ap.add_argument("--cert", required=True, help="the certificate (full chain) PEM file")
    ap.add_argument("--key", required=True, help="its private key PEM file")
    ap.add_argument("--domain", required=True, help="the CDN domain (deployer config `domain`)")
    ap.add_argument("--region", default="", help="deployer config `region` (default empty: cn-hangzhou)")
    ap.add_argument("--resource-group-id", default="")
    ap.add_argument("--read-back", action="store_true",
                    help="end with DescribeDomainCertificateInfo (the test's check, not certimate's)")
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()

    with open(args.cert, encoding="utf-8") as f:
        cert_pem = f.read()
    with open(args.key, encoding="utf-8") as f:
        key_pem = f.read()
    red = _common.Redactor({"Key": key_pem})
    versions = {p: dist_version(p.replace("_", "-")) for p in (CAS, CDN, "alibabacloud_tea_openapi")}

    cas_mod = importlib.import_module(f"{CAS}.client")
    cas_models = importlib.import_module(f"{CAS}.models")
    cdn_mod = importlib.import_module(f"{CDN}.client")
    cdn_models = importlib.import_module(f"{CDN}.models")
    cas = _tea_common.make_client(cas_mod, args.host, args.port, args.ak, args.secret, args.timeout)
    cdn = _tea_common.make_client(cdn_mod, args.host, args.port, args.ak, args.secret, args.timeout)
    rt = _tea_common.runtime(args.timeout)

    lines = []
    calls = []
    summary = {"client": "certimate (flow; Python Tea SDK as the Go SDK's stand-in)",
               "flow": "certimate", "summary": True, "sdk_versions": versions,
               "uploaded": False, "cert_id": None, "cert_name": None, "cert_identifier": None,
               "cert_region": None, "instance_id": None, "matched_serial": None,
               "domains": [], "calls": calls, "failed_at": None}

    def call(client, pkg, models, action, params, read, tool=True):
        """One call through the SDK; prints its line; returns the response body model or None."""
        method = _method(client, action)
        request = getattr(models, f"{action}Request")().from_map(dict(params))
        resp, outcome = _tea_common.call(method, request, rt)
        calls.append(action)
        line = {"client": pkg}
        line.update(outcome)
        line.update(flow="certimate", step=len(calls), action=action, tool=tool,
                    params={k: v for k, v in params.items()})
        if resp is not None and read is not None:
            line["read"] = read(resp.body)
        lines.append(line)
        if resp is None:
            summary["failed_at"] = action
            return None
        return resp.body

    def done(ok):
        summary["ok"] = ok
        for line in lines + [summary]:
            _common.emit(line, red)
        return 0

    local = first_certificate(cert_pem)
    if local is None:
        summary["error"] = "the certificate file holds no certificate"
        return done(False)
    local_cn = common_name(local)
    local_sn = serial_hex(local).lstrip("0")
    local_der = local.public_bytes(Encoding.DER)

    # --- 1. the existing uploads, page by page
    found = None
    page = 1
    while found is None:
        params = {"CurrentPage": page, "ShowSize": PAGE, "OrderType": "CERT"}
        if args.resource_group_id:
            params = {"ResourceGroupId": args.resource_group_id, **params}
        body = call(cas, CAS, cas_models, "ListUserCertificateOrder", params, lambda b: {
            "CertificateOrderList": [
                {"CommonName": i.common_name, "SerialNo": i.serial_no,
                 "CertificateId": i.certificate_id, "Name": i.name}
                for i in (b.certificate_order_list or [])]})
        if body is None:
            return done(False)
        items = body.certificate_order_list or []
        for item in items:
            if (item.common_name or "").lower() != local_cn.lower():
                continue
            if (item.serial_no or "").lstrip("0").lower() != local_sn.lower():
                continue
            detail = call(cas, CAS, cas_models, "GetUserCertificateDetail",
                          {"CertId": item.certificate_id},
                          lambda b: {"Cert": b.cert, "InstanceId": b.instance_id,
                                     "CertIdentifier": b.cert_identifier})
            if detail is None:
                return done(False)
            theirs = first_certificate(detail.cert or "")
            if theirs is None or theirs.public_bytes(Encoding.DER) != local_der:
                continue
            summary["matched_serial"] = {"listed": item.serial_no, "local": serial_hex(local)}
            found = {"cert_id": item.certificate_id, "cert_name": item.name,
                     "instance_id": detail.instance_id, "cert_identifier": detail.cert_identifier}
            break
        if found is not None or len(items) < PAGE:
            break
        page += 1

    # --- 2. upload and read back the identifiers
    if found is None:
        name = f"certimate_{time.time_ns() // 1_000_000}"
        params = {"Name": name, "Cert": cert_pem, "Key": key_pem}
        if args.resource_group_id:
            params = {"ResourceGroupId": args.resource_group_id, **params}
        uploaded = call(cas, CAS, cas_models, "UploadUserCertificate", params,
                        lambda b: {"CertId": b.cert_id})
        if uploaded is None:
            return done(False)
        summary["uploaded"] = True
        detail = call(cas, CAS, cas_models, "GetUserCertificateDetail",
                      {"CertId": uploaded.cert_id, "CertFilter": True},
                      lambda b: {"Id": b.id, "InstanceId": b.instance_id,
                                 "CertIdentifier": b.cert_identifier})
        if detail is None:
            return done(False)
        found = {"cert_id": detail.id, "cert_name": name, "instance_id": detail.instance_id,
                 "cert_identifier": detail.cert_identifier}
    summary.update(cert_id=found["cert_id"], cert_name=found["cert_name"],
                   instance_id=found["instance_id"], cert_identifier=found["cert_identifier"])

    # --- 3. the CDN domain, by CertId and CertRegion from CertIdentifier
    identifier = found["cert_identifier"] or ""
    parts = identifier.split("-", 1)
    if len(parts) != 2:
        summary["error"] = f"received invalid certificate identifier: {identifier!r}"
        return done(False)
    try:
        cert_id = int(parts[0])
    except ValueError:
        cert_id = 0  # strconv.ParseInt's error is ignored by certimate: CertId 0
    summary["cert_region"] = parts[1]
    domain = args.domain[1:] if args.domain.startswith("*") else args.domain
    summary["domains"] = [domain]
    body = call(cdn, CDN, cdn_models, "SetCdnDomainSSLCertificate",
                {"DomainName": domain, "CertType": "cas", "CertId": cert_id,
                 "CertRegion": parts[1], "SSLProtocol": "on"}, lambda b: {})
    if body is None:
        return done(False)

    if args.read_back:
        body = call(cdn, CDN, cdn_models, "DescribeDomainCertificateInfo", {"DomainName": domain},
                    lambda b: [{k: i.get(k) for k in READ_BACK}
                               for i in (b.to_map().get("CertInfos") or {}).get("CertInfo", [])],
                    tool=False)
        if body is None:
            return done(False)
    return done(True)


def _method(client, action):
    """The SDK's `<snake_case>_with_options` method of an action."""
    want = action.lower()
    for name in dir(client):
        if name.endswith("_with_options") and name[: -len("_with_options")].replace("_", "") == want:
            return getattr(client, name)
    raise SystemExit(f"{type(client).__module__} has no method for {action}")


if __name__ == "__main__":
    sys.exit(main())
