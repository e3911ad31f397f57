#!/usr/bin/env python3
"""Drive the legacy Alibaba Cloud Python SDK (aliyun-python-sdk-core + -cdn / -live) once.

    target/clients/venv/bin/python clients/legacy_sdk.py --port PORT --action ACTION
        [--product cdn|live] [--ak ID] [--secret S] [--param Name=Value]...
        [--param-file Name=PATH]... [--timestamp 2020-01-01T00:00:00Z] [--nonce N]
        [--api-version V] [--method POST|GET] [--no-retry] [--timeout 10]

Client set-up, as a user of the SDK writes it:
    client = AcsClient(ak, secret, 'cn-hangzhou', port=PORT, timeout=10, connect_timeout=10)
    req = <Action>Request()   # aliyunsdkcdn.request.v20180510 / aliyunsdklive.request.v20161101
    req.set_endpoint(HOST); req.set_protocol_type('http'); req.set_<Name>(value) ...
    client.do_action_with_exception(req)

Prints one JSON line: client, ok, http_status, code, message, request_id, body, exception,
plus error_code/error_msg/error_http_status/error_request_id (the ServerException getters),
string_to_sign_sha256 (of the SDK's own string to sign), attempts and wire (status and body
seen under the SDK, from instrumentation). Private keys are redacted.
"""
import hashlib
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import aliyunsdkcore  # noqa: F401
except ImportError:  # re-run under the harness venv
    venv_py = os.path.join(HERE, "..", "target", "clients", "venv", "bin", "python")
    if os.path.exists(venv_py) and not os.environ.get("CERT_PREFLIGHT_CLIENTS_REEXEC"):
        os.environ["CERT_PREFLIGHT_CLIENTS_REEXEC"] = "1"
        os.execv(venv_py, [venv_py, os.path.abspath(__file__)] + sys.argv[1:])
    raise SystemExit("aliyunsdkcore missing: run clients/install.sh")

import _common  # noqa: E402

from aliyunsdkcore import client as core_client  # noqa: E402
from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException  # noqa: E402
from aliyunsdkcore.auth.composer import rpc_signature_composer  # noqa: E402

LEGACY_PACKAGES = {"cdn": "aliyunsdkcdn.request.v20180510", "live": "aliyunsdklive.request.v20161101"}


def main():
    ap = _common.base_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--method", choices=["POST", "GET"], help="override the request class's method (POST)")
    ap.add_argument("--no-retry", action="store_true", help="AcsClient(auto_retry=False)")
    args = ap.parse_args()
    product = _common.resolve_product(args)
    params = _common.load_params(args)
    red = _common.Redactor(params)
    result = {"client": "aliyun-python-sdk-core", "sdk_version": aliyunsdkcore.__version__}

    if product not in LEGACY_PACKAGES:
        result.update(ok=False, exception="UsageError",
                      message=f"legacy driver supports products {sorted(LEGACY_PACKAGES)} only")
        return _common.emit(result, red) or 2

    # --- timestamp / nonce override: wrap the composer's parameter refresher, which is
    # where the SDK puts Timestamp and SignatureNonce (aliyunsdkcore 2.16.1).
    refresh_name = "__refresh_sign_parameters"
    original_refresh = vars(rpc_signature_composer)[refresh_name]

    def refresh(*a, **kw):
        p = original_refresh(*a, **kw)
        if args.timestamp:
            p["Timestamp"] = args.timestamp
        if args.nonce:
            p["SignatureNonce"] = args.nonce
        return p

    setattr(rpc_signature_composer, refresh_name, refresh)

    # --- instrumentation: see every HTTP attempt's status and body under the SDK
    wire = {"attempts": 0, "status": None, "body": None}
    original_single = core_client.AcsClient._handle_single_request

    def single(self, *a, **kw):
        status, headers, body, exc = original_single(self, *a, **kw)
        wire["attempts"] += 1
        wire["status"] = status
        wire["body"] = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else body
        return status, headers, body, exc

    core_client.AcsClient._handle_single_request = single

    module = importlib.import_module(f"{LEGACY_PACKAGES[product]}.{args.action}Request")
    req = getattr(module, f"{args.action}Request")()
    req.set_endpoint(args.host)
    req.set_protocol_type("http")
    if args.method:
        req.set_method(args.method)
    if args.api_version:
        req.set_version(args.api_version)
    for name, value in params.items():
        setter = getattr(req, f"set_{name}", None)
        if setter is not None:
            setter(value)
        else:
            req.add_query_param(name, value)

    client = core_client.AcsClient(
        args.ak, args.secret, "cn-hangzhou", port=args.port,
        auto_retry=not args.no_retry, timeout=int(args.timeout), connect_timeout=int(args.timeout))

    try:
        body = client.do_action_with_exception(req)
        parsed = _common.parse_json(body)
        result.update(
            ok=True,
            http_status=wire["status"],
            request_id=(parsed or {}).get("RequestId") if isinstance(parsed, dict) else None,
            body=parsed if parsed is not None else (body.decode("utf-8", "replace") if body else body),
        )
    except ServerException as e:
        result.update(
            ok=False, http_status=e.get_http_status(), code=e.get_error_code(),
            message=e.get_error_msg(), request_id=e.get_request_id(), body=None,
            exception=type(e).__name__,
            error_code=e.get_error_code(), error_msg=e.get_error_msg(),
            error_http_status=e.get_http_status(), error_request_id=e.get_request_id(),
            error_str=str(e),
        )
    except ClientException as e:
        result.update(ok=False, code=e.get_error_code(), message=e.get_error_msg(),
                      exception=type(e).__name__, error_code=e.get_error_code(),
                      error_msg=e.get_error_msg(), error_str=str(e))
    except Exception as e:  # the SDK itself failed (e.g. IndexError on a malformed message)
        result.update(ok=False, exception=type(e).__name__, message=str(e))

    sts = getattr(req, "string_to_sign", None)
    result["string_to_sign_sha256"] = hashlib.sha256(sts.encode("utf-8")).hexdigest() if sts else None
    result["attempts"] = wire["attempts"]
    result["wire"] = {"status": wire["status"], "body": _common.parse_json(wire["body"]) or wire["body"]}
    return _common.emit(result, red)


if __name__ == "__main__":
    sys.exit(main())
