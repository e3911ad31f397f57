#!/usr/bin/env python3
"""Writes the seed corpora of the raw-byte fuzz targets from testdata/ (run from anywhere).

    python3 fuzz/seed.py

pem:          every PEM file of testdata/ as it is
certificate:  the certificate files, as PEM, as the DER of each certificate, and as the DER
              of the whole chain end to end
private_key:  the DER of every key block, behind the selector byte the target reads
              (0 PKCS#1, 1 PKCS#8, 2 SEC1 after an EC PARAMETERS block, 14 SEC1 alone)
request:      raw query strings for both APIs carrying a few certificate/key pairs

key_match and validate take structured (`arbitrary`) input that picks its keys and fixtures
from testdata/ itself; their corpora are what the campaigns found, minimised.
Seeds are named seed-<name>; files the fuzzer adds keep libFuzzer's SHA-1 names.
"""
import base64
import pathlib
import re
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
CORPUS = ROOT / "fuzz" / "corpus"
BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)
# Large RSA keys and chains make slow seeds: the 8192/16384-bit files are left to the tests.
SKIP = ("rsa8192", "rsa16384", "keys/rsa8192", "keys/rsa16384")


def blocks(text):
    for label, body in BLOCK.findall(text):
        lines = [l.strip() for l in body.splitlines() if l.strip() and ":" not in l]
        try:
            yield label, base64.b64decode("".join(lines), validate=True)
        except Exception:
            pass


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


def main():
    files = sorted(p for p in TESTDATA.rglob("*.pem") if not str(p.relative_to(TESTDATA)).startswith(SKIP))
    for path in files:
        rel = str(path.relative_to(TESTDATA)).replace("/", "_")
        data = path.read_bytes()
        write("pem", rel, data)
        text = data.decode("utf-8", "replace")
        found = list(blocks(text))
        certs = [der for label, der in found if label == "CERTIFICATE"]
        if certs:
            write("certificate", rel, data)
            write("certificate", rel + ".der", certs[0])
            if len(certs) > 1:
                write("certificate", rel + ".chain.der", b"".join(certs))
        params = [der for label, der in found if label == "EC PARAMETERS"]
        for label, der in found:
            selector = {"RSA PRIVATE KEY": 0, "PRIVATE KEY": 1, "EC PRIVATE KEY": 2 if params else 14}.get(label)
            if selector is not None:
                write("private_key", rel + ".der", bytes([selector]) + der)
    pairs = [
        ("p256/fullchain.pem", "p256/key.pkcs8.pem"),
        ("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem"),
        ("ed25519/fullchain.pem", "ed25519/key.pkcs8v2.pem"),
        ("sm2/fullchain.pem", "sm2/key.sec1.pem"),
        ("pem/stray-begin.pem", "p256/key.pkcs8.pem"),
    ]
    apis = [
        ("cdn", "SetDomainServerCertificate", "ServerCertificateStatus", "ServerCertificate", "PrivateKey"),
        ("live", "SetLiveDomainCertificate", "SSLProtocol", "SSLPub", "SSLPri"),
    ]
    for api, action, switch, cert_param, key_param in apis:
        for cert, key in pairs:
            query = urllib.parse.urlencode(
                [
                    ("Action", action),
                    ("DomainName", "www.example.com"),
                    (switch, "on"),
                    ("CertName", "prod-2026"),
                    (cert_param, (TESTDATA / cert).read_text()),
                    (key_param, (TESTDATA / key).read_text()),
                ]
            )
            name = f"{api}_{cert.replace('/', '_')}"
            write("request", name, query.encode())
        write("request", f"{api}_url", f"http://cdn.aliyuncs.com?Action={action}&DomainName=example.com&{switch}=on&{cert_param}=xxx&{key_param}=yyy".encode())
        write("request", f"{api}_off_repeated", f"{switch}=off&{switch}=on&CertType=cas&CertName=a%zz".encode())


if __name__ == "__main__":
    main()
