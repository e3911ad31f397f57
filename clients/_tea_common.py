"""Shared pieces of the drivers that use the Python Tea SDKs (alibabacloud_*): the client as a
user of the SDK builds it, one call with the outcome as the drivers report it, and a check of
a response model against the types the SDK declares.

Import only under the harness venv (target/clients/venv), after the driver's re-exec guard.

The type check (`go_type_errors`) stands in for the Go Tea SDK's strictness: the Python models
copy whatever JSON value they get (`from_map` does no conversion), whereas the Go SDK decodes a
response with encoding/json into typed fields (`*int64`, `*string`, `*bool`, slices, structs),
so a number where the model says string (or the reverse), a fraction where it says integer, or
a string where it says bool is an error for a Go tool such as certimate and goes unnoticed in
Python. Every response model is walked with the types its constructor declares and each value
that Go's decoder would refuse is listed as `WireName.Path: want T, got <json type> <value>`.
"""
import inspect
import re
import sys
import typing

from alibabacloud_tea_openapi import utils_models as openapi_models
from darabonba.model import DaraModel
from darabonba.runtime import RuntimeOptions

TEA_PACKAGES = {
    "cdn": "alibabacloud_cdn20180510",
    "live": "alibabacloud_live20161101",
    "dcdn": "alibabacloud_dcdn20180115",
    "vod": "alibabacloud_vod20170321",
    "cas": "alibabacloud_cas20200407",
}


def make_client(client_mod, host, port, ak, secret, timeout, signature_algorithm="v3"):
    """`<package>.client.Client(Config(...))` as a user writes it, pointed at HOST:PORT over
    http (the SDK's default signature is V3, ACS3-HMAC-SHA256)."""
    cfg = dict(access_key_id=ak, access_key_secret=secret, endpoint=f"{host}:{port}",
               protocol="http", read_timeout=int(timeout * 1000),
               connect_timeout=int(timeout * 1000))
    if signature_algorithm == "v2":
        cfg["signature_algorithm"] = "v2"
    return client_mod.Client(openapi_models.Config(**cfg))


def runtime(timeout):
    """RuntimeOptions with the timeouts and no retry (one attempt per call)."""
    return RuntimeOptions(read_timeout=int(timeout * 1000), connect_timeout=int(timeout * 1000),
                          autoretry=False)


def call(method, request, rt):
    """Calls `method(request, rt)`; returns (response or None, the outcome's fields as the
    drivers print them: ok, http_status, request_id, body, model_type_errors, or for an
    exception ok=False, exception, http_status, code, message, request_id, body = error_data
    = the exception's .data, error_str, inner_exception)."""
    out = {}
    try:
        resp = method(request, rt)
    except Exception as e:  # AlibabaCloudException family, UnretryableException, ...
        out.update(ok=False, exception=type(e).__name__)
        status = getattr(e, "status_code", None)
        if status is None:
            status = getattr(e, "statusCode", None)
        out["http_status"] = status
        out["code"] = getattr(e, "code", None)
        out["message"] = getattr(e, "message", None) or str(e)
        out["request_id"] = getattr(e, "request_id", None)
        data = getattr(e, "data", None)
        out["body"] = data
        out["error_data"] = data
        out["error_str"] = str(e)
        inner = getattr(e, "inner_exception", None)
        if inner is not None:
            out["inner_exception"] = f"{type(inner).__name__}: {inner}"
        return None, out
    body = resp.body.to_map() if resp.body is not None else None
    out.update(ok=True, http_status=resp.status_code,
               request_id=(body or {}).get("RequestId"), body=body,
               model_type_errors=go_type_errors(resp.body) if resp.body is not None else [])
    return resp, out


# ---------------------------------------------------------------- the Go decoder's view

_WIRE = {}


def _wire_names(cls):
    """attribute -> wire name, read from the generated to_map() (`if self.x is not None:
    result['X'] = ...`, and `result['X'] = []` before `if self.x is not None:`)."""
    if cls in _WIRE:
        return _WIRE[cls]
    names = {}
    try:
        src = inspect.getsource(cls.to_map)
    except (OSError, TypeError):
        src = ""
    for attr, wire in re.findall(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]", src):
        names.setdefault(attr, wire)
    for wire, attr in re.findall(r"result\['([^']+)'\] = (?:\[\]|\{\})\s*\n\s*if self\.(\w+) is not None", src):
        names[attr] = wire
    _WIRE[cls] = names
    return names


def _hints(cls):
    mod = sys.modules.get(cls.__module__)
    try:
        return typing.get_type_hints(cls.__init__, globalns=vars(mod) if mod else None)
    except Exception:  # an annotation that does not resolve: nothing to check
        return {}


def _json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _shown(v):
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _check(value, hint, path, errors):
    if value is None or hint is typing.Any:
        return
    origin = typing.get_origin(hint)
    if origin in (list, typing.List):
        if not isinstance(value, list):
            errors.append(f"{path}: want array, got {_json_type(value)} {_shown(value)}")
            return
        (inner,) = typing.get_args(hint) or (typing.Any,)
        for i, item in enumerate(value):
            _check(item, inner, f"{path}[{i}]", errors)
        return
    if origin in (dict, typing.Dict):
        if not isinstance(value, dict):
            errors.append(f"{path}: want object, got {_json_type(value)} {_shown(value)}")
        return
    if isinstance(hint, type) and issubclass(hint, DaraModel):
        if isinstance(value, DaraModel):
            errors.extend(go_type_errors(value, path))
        elif not isinstance(value, dict):
            errors.append(f"{path}: want object, got {_json_type(value)} {_shown(value)}")
        return
    ok = {
        str: lambda v: isinstance(v, str),
        int: lambda v: isinstance(v, int) and not isinstance(v, bool),
        float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        bool: lambda v: isinstance(v, bool),
    }.get(hint)
    if ok is not None and not ok(value):
        want = {str: "string", int: "integer", float: "number", bool: "bool"}[hint]
        errors.append(f"{path}: want {want}, got {_json_type(value)} {_shown(value)}")


def go_type_errors(model, path=""):
    """The values of a response model that the Go SDK's typed decoding would refuse."""
    errors = []
    cls = type(model)
    names = _wire_names(cls)
    for attr, hint in _hints(cls).items():
        if attr == "return":
            continue
        value = getattr(model, attr, None)
        wire = names.get(attr, attr)
        _check(value, hint, f"{path}.{wire}" if path else wire, errors)
    return errors
