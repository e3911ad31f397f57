#!/usr/bin/env python3
"""Run every driver against capture_server.py and check what it sends and how it reports.

    python3 clients/selftest.py [--write-captured]

Needs clients/install.sh to have run. For each case it starts capture_server.py (fresh port),
runs the driver once per canned reply (200 OK; 400 InvalidSSLPub; a 200 whose body carries
a Code; a 400 whose body is not JSON; 404 InvalidAccessKeyId.NotFound; for RPC clients a 400
SignatureDoesNotMatch whose string to sign is the client's own), and checks:
  - the request verifies with secret testsecret (verify_capture.py);
  - parameter placement, signature method, Format, RegionId/SignatureType, headers;
  - --timestamp/--nonce reach the wire;
  - the driver's JSON line (ok, http_status, code, message, request_id).
With --write-captured it writes clients/captured/<case>.json (the 200 request, fixed
timestamp and nonce) and clients/captured/outcomes.json (every driver line per reply).
Prints "N passed, N failed" at the end; exit 1 on any failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import verify_capture  # noqa: E402

VENV_PY = os.path.join(REPO, "target", "clients", "venv", "bin", "python")
TD = os.path.join(REPO, "testdata", "rsa2048")
FULLCHAIN = os.path.join(TD, "fullchain.pem")
CERT = os.path.join(TD, "cert.pem")
KEY = os.path.join(TD, "key.pkcs1.pem")
TS = "2026-06-01T00:00:00Z"

ERR_400 = '{"RequestId":"r-400","HostId":"h","Code":"InvalidSSLPub","Message":"The specified SSLPub is invalid.","Recommend":"x"}'
ERR_404 = '{"RequestId":"r-404","HostId":"h","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","Recommend":"x"}'
CODE_200 = '{"RequestId":"r-200c","Code":"Certificate.Duplicated","Message":"The certificate name already exists."}'
TEXT_400 = "<html>Bad Request</html>"

UPLOAD_CDN = ["--param", "DomainName=www.example.com", "--param", "SSLProtocol=on",
              "--param", "CertType=upload", "--param", "CertName=my cert*~",
              "--param-file", f"SSLPub={FULLCHAIN}", "--param-file", f"SSLPri={KEY}"]
UPLOAD_LEGACY_SDSC = ["--param", "DomainName=www.example.com", "--param", "ServerCertificateStatus=on",
                      "--param", "CertType=upload", "--param", "CertName=my cert*~",
                      "--param-file", f"ServerCertificate={FULLCHAIN}", "--param-file", f"PrivateKey={KEY}"]
UPLOAD_LIVE = ["--param", "DomainName=live.example.com", "--param", "SSLProtocol=on",
               "--param", "CertName=live cert", "--param-file", f"SSLPub={FULLCHAIN}",
               "--param-file", f"SSLPri={KEY}"]
READ_CDN = ["--param", "DomainName=www.example.com"]
ACME = ["--param", "DomainName=www.example.com", "--param-file", f"SSLPub={FULLCHAIN}",
        "--param-file", f"SSLPri={KEY}"]

LEGACY = [VENV_PY, os.path.join(HERE, "legacy_sdk.py")]
TEA = [VENV_PY, os.path.join(HERE, "tea_sdk.py")]
POP = ["node", os.path.join(HERE, "pop_core.js")]
ACME_SH = ["bash", os.path.join(HERE, "acme_ali_cdn.sh")]

# name, command, action, extra args, expected wire style
CASES = [
    ("legacy_sdk_SetDomainServerCertificate", LEGACY, "SetDomainServerCertificate", UPLOAD_LEGACY_SDSC, "legacy"),
    ("legacy_sdk_SetCdnDomainSSLCertificate", LEGACY, "SetCdnDomainSSLCertificate", UPLOAD_CDN, "legacy"),
    ("legacy_sdk_SetLiveDomainCertificate", LEGACY, "SetLiveDomainCertificate", UPLOAD_LIVE, "legacy"),
    ("legacy_sdk_DescribeDomainCertificateInfo", LEGACY, "DescribeDomainCertificateInfo", READ_CDN, "legacy"),
    ("tea_v3_SetCdnDomainSSLCertificate", TEA, "SetCdnDomainSSLCertificate", UPLOAD_CDN, "tea3"),
    ("tea_v2_SetCdnDomainSSLCertificate", TEA, "SetCdnDomainSSLCertificate", UPLOAD_CDN + ["--signature-algorithm", "v2"], "tea2"),
    ("tea_v3_SetLiveDomainCertificate", TEA, "SetLiveDomainCertificate", UPLOAD_LIVE, "tea3"),
    ("tea_v3_SetDcdnDomainSSLCertificate", TEA, "SetDcdnDomainSSLCertificate", UPLOAD_CDN, "tea3"),
    ("tea_v3_SetVodDomainSSLCertificate", TEA, "SetVodDomainSSLCertificate", UPLOAD_CDN, "tea3"),
    ("tea_v3_DescribeLiveDomainCertificateInfo", TEA, "DescribeLiveDomainCertificateInfo", ["--param", "DomainName=live.example.com"], "tea3"),
    ("pop_core_POST_SetCdnDomainSSLCertificate", POP, "SetCdnDomainSSLCertificate", UPLOAD_CDN, "pop"),
    ("pop_core_GET_DescribeDomainCertificateInfo", POP, "DescribeDomainCertificateInfo", READ_CDN + ["--method", "GET"], "popget"),
    ("acme_ali_cdn", ACME_SH, "SetCdnDomainSSLCertificate", ACME, "acme"),
    ("acme_ali_dcdn", ACME_SH, "SetDcdnDomainSSLCertificate", ACME, "acme"),
]

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def run_case(cmd, action, extra, nonce, status, body, content_type="application/json;charset=utf-8"):
    """Start a capture server with the reply, run the driver, return (driver line, records)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cap.jsonl")
        srv = subprocess.Popen([sys.executable, os.path.join(HERE, "capture_server.py"), "--out", out,
                                "--status", str(status), "--body", body, "--content-type", content_type,
                                "--lifetime", "60"], stdout=subprocess.PIPE, text=True)
        try:
            port = srv.stdout.readline().strip().rsplit(":", 1)[1]
            args = cmd + ["--port", port, "--action", action, "--timestamp", TS, "--nonce", nonce] + extra
            if cmd is LEGACY:
                args.append("--no-retry")
            p = subprocess.run(args, capture_output=True, text=True, timeout=60)
            lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
            line = json.loads(lines[-1]) if lines else {"_stderr": p.stderr[-2000:], "_rc": p.returncode}
            recs = []
            if os.path.exists(out):
                recs = [json.loads(x) for x in open(out, encoding="utf-8") if x.strip()]
            return line, recs
        finally:
            srv.terminate()
            srv.wait(5)


def params_of(rec):
    path, _, qs = rec["path"].partition("?")
    q = dict(urllib.parse.parse_qsl(qs, keep_blank_values=True))
    b = dict(urllib.parse.parse_qsl(rec.get("body") or "", keep_blank_values=True))
    return path, q, b


def check_wire(name, style, rec, nonce):
    path, q, b = params_of(rec)
    hdr = {k.lower(): v for k, v in rec["headers"]}
    res = verify_capture.verify(rec)
    check(res["ok"], f"{name}: signature verifies with testsecret")
    check(rec["method"] == ("GET" if style == "popget" else "POST"), f"{name}: method {rec['method']}")
    if style == "legacy":
        check(not rec["body"] and "Signature" in q and q.get("SignatureType") == "" and q.get("RegionId") == "cn-hangzhou"
              and q.get("Format") == "JSON" and q.get("SignatureMethod") == "HMAC-SHA1", f"{name}: legacy query layout")
        check(q.get("Timestamp") == TS and q.get("SignatureNonce") == nonce, f"{name}: timestamp/nonce override")
        check("x-acs-action" in hdr and "x-acs-version" in hdr and "content-type" not in hdr, f"{name}: legacy headers")
    elif style == "tea3":
        check(hdr.get("authorization", "").startswith("ACS3-HMAC-SHA256 ") and "Signature" not in q
              and "Timestamp" not in q and not rec["body"], f"{name}: tea v3 layout")
        check(hdr.get("x-acs-date") == TS and hdr.get("x-acs-signature-nonce") == nonce, f"{name}: timestamp/nonce override")
    elif style == "tea2":
        check("authorization" not in hdr and q.get("Format") == "json" and "RegionId" not in q
              and "SignatureType" not in q and not rec["body"], f"{name}: tea v2 layout")
        check(q.get("Timestamp") == TS and q.get("SignatureNonce") == nonce, f"{name}: timestamp/nonce override")
    elif style in ("pop", "popget"):
        where = q if style == "popget" else b
        check((path == "/" and (style == "popget" or not q)) and where.get("Format") == "JSON"
              and "SignatureType" not in where and "RegionId" not in where, f"{name}: pop-core layout")
        if style == "pop":
            check(hdr.get("content-type") == "application/x-www-form-urlencoded", f"{name}: pop-core content-type")
        check(where.get("Timestamp") == TS and where.get("SignatureNonce") == nonce, f"{name}: timestamp/nonce override")
    elif style == "acme":
        check(list(q) == ["Signature"] and b.get("Format") == "json" and b.get("CertType") == "upload"
              and b.get("SSLProtocol") == "on", f"{name}: acme layout (Signature in URL, rest in form body)")
        check(b.get("Timestamp") == TS and b.get("SignatureNonce") == nonce, f"{name}: timestamp/nonce override")
        order = [kv.split("=", 1)[0] for kv in rec["body"].split("&")]
        check(order == sorted(order), f"{name}: acme body in sorted order")
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-captured", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(VENV_PY):
        print("run clients/install.sh first", file=sys.stderr)
        return 2
    outcomes = {}
    for i, (name, cmd, action, extra, style) in enumerate(CASES):
        t0 = time.time()
        nonce = f"{i + 1:032x}"
        outcomes[name] = {}
        # 200 OK
        line, recs = run_case(cmd, action, extra, nonce, 200, '{"RequestId":"capture-0000"}')
        outcomes[name]["200"] = line
        check(len(recs) == 1, f"{name}: one request sent (got {len(recs)})")
        check(line.get("ok") is True and line.get("request_id") == "capture-0000"
              and line.get("http_status") == 200, f"{name}: 200 parsed: {line}")
        res = check_wire(name, style, recs[0], nonce) if recs else None
        if args.write_captured and recs:
            os.makedirs(os.path.join(HERE, "captured"), exist_ok=True)
            with open(os.path.join(HERE, "captured", f"{name}.json"), "w", encoding="utf-8") as f:
                json.dump({"case": name, "driver_command": [os.path.relpath(c, REPO) if c.startswith(REPO) else c
                                                            for c in cmd] + ["--port", "PORT", "--action", action,
                                                            "--timestamp", TS, "--nonce", nonce] + extra,
                           "access_key_id": "testid", "access_key_secret": "testsecret",
                           "scheme": res["scheme"], "signature_valid": res["ok"],
                           "string_to_sign_sha256": res["string_to_sign_sha256"],
                           "request": recs[0]}, f, indent=1)
                f.write("\n")
        # 400 InvalidSSLPub
        line, recs = run_case(cmd, action, extra, nonce, 400, ERR_400)
        outcomes[name]["400 InvalidSSLPub"] = line
        check(line.get("ok") is False and line.get("code") == "InvalidSSLPub"
              and line.get("request_id") == "r-400", f"{name}: 400 parsed: {line}")
        if style != "acme":
            check(line.get("http_status") == 400, f"{name}: 400 status")
        # 404 InvalidAccessKeyId.NotFound
        line, recs = run_case(cmd, action, extra, nonce, 404, ERR_404)
        outcomes[name]["404 InvalidAccessKeyId.NotFound"] = line
        check(line.get("ok") is False and line.get("code") == "InvalidAccessKeyId.NotFound", f"{name}: 404 parsed")
        # 200 with a Code in the body
        line, recs = run_case(cmd, action, extra, nonce, 200, CODE_200)
        outcomes[name]["200 with Code"] = line
        # 400 with a non-JSON body
        line, recs = run_case(cmd, action, extra, nonce, 400, TEXT_400, "text/html")
        outcomes[name]["400 non-JSON"] = line
        check(line.get("ok") is False or style == "acme", f"{name}: non-JSON 400 is a failure")
        # SignatureDoesNotMatch whose server string to sign is the client's own (RPC only)
        if res and res["scheme"] == "rpc-v1":
            msg = "Specified signature is not matched with our calculation. server string to sign is:" + res["_string_to_sign"]
            body = json.dumps({"RequestId": "r-sig", "HostId": "h", "Code": "SignatureDoesNotMatch",
                               "Message": msg, "Recommend": "x"}, separators=(",", ":"))
            line, recs = run_case(cmd, action, extra, nonce, 400, body)
            outcomes[name]["400 SignatureDoesNotMatch (own string to sign)"] = line
            check(line.get("ok") is False, f"{name}: SignatureDoesNotMatch is a failure")
            if style == "legacy":
                check(line.get("code") == "InvalidAccessKeySecret" and line.get("exception") == "ServerException",
                      f"{name}: legacy SDK turns a matching SignatureDoesNotMatch into InvalidAccessKeySecret: {line}")
                # and a string to sign that differs stays SignatureDoesNotMatch
                body2 = body.replace("is:POST&", "is:POST&X")
                line2, _ = run_case(cmd, action, extra, nonce, 400, body2)
                outcomes[name]["400 SignatureDoesNotMatch (other string to sign)"] = line2
                check(line2.get("code") == "SignatureDoesNotMatch", f"{name}: differing string to sign stays SignatureDoesNotMatch")
            else:
                check(line.get("code") == "SignatureDoesNotMatch", f"{name}: SignatureDoesNotMatch passed through")
        text = json.dumps(outcomes[name])
        check("PRIVATE KEY" not in text and "PRIVATE%20KEY" not in text and "PRIVATE+KEY" not in text,
              f"{name}: no private key in driver output")
        print(f"{name}: done in {time.time() - t0:.1f}s", flush=True)
    if args.write_captured:
        with open(os.path.join(HERE, "captured", "outcomes.json"), "w", encoding="utf-8") as f:
            json.dump(outcomes, f, indent=1, ensure_ascii=False)
            f.write("\n")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
