#!/usr/bin/env python3
"""Drive a Tea (alibabacloud_*) Python SDK client once.

    target/clients/venv/bin/python clients/tea_sdk.py --port PORT --action ACTION
        [--product cdn|live|dcdn|vod|cas] [--ak ID] [--secret S] [--param Name=Value]...
        [--param-file Name=PATH]... [--signature-algorithm v3|v2]
        [--timestamp 2020-01-01T00:00:00Z] [--nonce N] [--api-version V] [--timeout 10]

Client set-up, as a user of the SDK writes it:
    client = alibabacloud_<product>.client.Client(Config(access_key_id=ak,
        access_key_secret=secret, endpoint='HOST:PORT', protocol='http'
        [, signature_algorithm='v2']))
    client.<snake_case_action>_with_options(<Action>Request().from_map(params),
        RuntimeOptions(read_timeout=..., connect_timeout=..., autoretry=False))

The method is found from the action name (SetCdnDomainSSLCertificate ->
set_cdn_domain_sslcertificate); the request model is filled with from_map() using the wire
parameter names, as the SDK's own model mapping defines them.

Prints one JSON line: client, ok, http_status, code, message, request_id, body, exception,
plus signature_algorithm, sdk_versions, method and, on success, model_type_errors (the
body's values the Go SDK's typed decoding would refuse: see _tea_common.py), or for an
exception error_data (the exception's .data), error_str and inner_exception. Private keys are
redacted.
"""
import importlib
import os
import sys

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

import _common  # noqa: E402
import _tea_common  # noqa: E402

from importlib.metadata import version as dist_version  # noqa: E402

from alibabacloud_tea_openapi.utils import Utils  # noqa: E402

TEA_PACKAGES = _tea_common.TEA_PACKAGES


def find_method(client, action):
    want = action.lower()
    for name in dir(client):
        if name.endswith("_with_options") and not name.endswith("_async"):
            base = name[: -len("_with_options")]
            if base.replace("_", "") == want:
                return name, getattr(client, name)
    return None, None


def main():
    ap = _common.base_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--signature-algorithm", choices=["v3", "v2"], default="v3",
                    help="v3 (default: ACS3-HMAC-SHA256) or v2 (Config(signature_algorithm='v2'): RPC HMAC-SHA1)")
    args = ap.parse_args()
    product = _common.resolve_product(args)
    params = _common.load_params(args)
    red = _common.Redactor(params)
    pkg = TEA_PACKAGES[product]
    result = {
        "client": pkg,
        "signature_algorithm": args.signature_algorithm,
        "sdk_versions": {
            pkg: dist_version(pkg.replace("_", "-")),
            "alibabacloud-tea-openapi": dist_version("alibabacloud-tea-openapi"),
        },
    }

    # --- timestamp / nonce override: Utils.get_timestamp() makes both Timestamp (v2) and
    # x-acs-date (v3); Utils.get_nonce() both SignatureNonce and x-acs-signature-nonce.
    if args.timestamp:
        ts = args.timestamp
        Utils.get_timestamp = staticmethod(lambda: ts)
    if args.nonce:
        nonce = args.nonce
        Utils.get_nonce = staticmethod(lambda: nonce)

    client_mod = importlib.import_module(f"{pkg}.client")
    models = importlib.import_module(f"{pkg}.models")
    client = _tea_common.make_client(client_mod, args.host, args.port, args.ak, args.secret,
                                     args.timeout, args.signature_algorithm)

    method_name, method = find_method(client, args.action)
    model_cls = getattr(models, f"{args.action}Request", None)
    if method is None or model_cls is None:
        result.update(ok=False, exception="UsageError",
                      message=f"{pkg} has no method/request model for {args.action}")
        _common.emit(result, red)
        return 2
    result["method"] = method_name
    req = model_cls().from_map(dict(params))

    if args.api_version:
        # The Tea SDKs hard-code the version in each method; patch the Params the method builds.
        original_call_api = client.call_api

        def call_api(p, r, rt):
            p.version = args.api_version
            return original_call_api(p, r, rt)

        client.call_api = call_api

    _, outcome = _tea_common.call(method, req, _tea_common.runtime(args.timeout))
    result.update(outcome)
    return _common.emit(result, red)


if __name__ == "__main__":
    sys.exit(main())
