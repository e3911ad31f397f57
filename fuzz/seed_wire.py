#!/usr/bin/env python3
"""Seed corpus/wire/ with the requests the real clients sent (crates/wire/tests/vectors/*.json and
clients/captured/*.json), in the `wire` target's input shape:
METHOD-BYTE QUERY \\0 BODY \\0 HEADERS (one `name:value` line each).

Usage: python3 fuzz/seed_wire.py   (from the repository root; rewrites corpus/wire/seed-*)
"""
import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus", "wire")


def shape(method, target, headers, body):
    query = target.split("?", 1)[1] if "?" in target else ""
    lines = "".join(f"{name}:{value}\n" for name, value in headers)
    return (b"G" if method == "GET" else b"P") + query.encode() + b"\0" + body.encode() + b"\0" + lines.encode()


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "crates/wire/tests/vectors/*.json"))):
        v = json.load(open(path))
        data = shape(v["method"], v["target"], v["headers"], v.get("body", ""))
        open(os.path.join(OUT, "seed-" + os.path.basename(path)[:-5]), "wb").write(data)
        n += 1
    for path in sorted(glob.glob(os.path.join(ROOT, "clients/captured/*.json"))):
        if path.endswith("outcomes.json"):
            continue
        v = json.load(open(path))
        r = v["request"]
        data = shape(r["method"], r["path"], r["headers"], r.get("body", ""))
        open(os.path.join(OUT, "seed-" + os.path.basename(path)[:-5]), "wb").write(data)
        n += 1
    print(f"wrote {n} seeds to {OUT}")


if __name__ == "__main__":
    main()
