#!/usr/bin/env bash
# Reproduce, byte for byte, the request that acme.sh's deploy hooks deploy/ali_cdn.sh and
# deploy/ali_dcdn.sh send through dnsapi/dns_ali.sh's _ali_rest (acme.sh master, 2025-26:
# _ali_rest "<act>" "" POST, _ali_nonce, _ali_timestamp, _url_encode upper-hex /
# _ali_urlencode_upper), with the endpoint replaced by a base URL, and decide success the
# way acme.sh does (curl exit code, then grep the response for "Message":"...").
#
#   clients/acme_ali_cdn.sh (--port PORT | --base-url URL) --param DomainName=D
#       --param-file SSLPub=FULLCHAIN --param-file SSLPri=KEY
#       [--action SetCdnDomainSSLCertificate|SetDcdnDomainSSLCertificate | --product cdn|dcdn]
#       [--ak ID] [--secret S] [--timestamp 2020-01-01T00:00:00Z] [--nonce N]
#       [--user-agent UA] [--timeout 10] [--host 127.0.0.1]
#
# --base-url defaults to http://HOST:PORT/ (acme.sh's Ali_CDN_API is "https://cdn.aliyuncs.com/",
# with the trailing slash). The hook always sends CertType=upload and SSLProtocol=on; it has no
# other parameters, so only DomainName, SSLPub and SSLPri are accepted.
#
# Prints one JSON line (built with python3, after the request): client, ok (acme.sh's
# _ali_rest verdict), http_status, code, message, request_id, body, exception, plus
# acme_message (what acme.sh extracts and logs with _err), acme_log (the line acme.sh logs),
# hook_exit_status (always 0: ali_cdn_deploy returns 0 even when _ali_rest failed),
# curl_exit, raw_response, timestamp, nonce. Private keys are redacted.
#
# Deviations from acme.sh, none of which changes the bytes on the wire: curl gets
# --max-time (acme.sh sets no timeout) and the response headers go to a temp file that is
# removed afterwards; the URL-encoder is an awk rendering of acme.sh's per-byte case table
# (same output, much faster).
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { printf 'acme_ali_cdn.sh: %s\n' "$*" >&2; exit 2; }

HOST=127.0.0.1
PORT=""
BASE_URL=""
Ali_Key=testid
Ali_Secret=testsecret
ACTION=""
PRODUCT=""
DOMAIN=""
PUB_FILE=""
PRI_FILE=""
TS_OVERRIDE=""
NONCE_OVERRIDE=""
TIMEOUT=10
USER_AGENT="acme.sh/3.1.5 (https://github.com/acmesh-official/acme.sh)"

while [ $# -gt 0 ]; do
  case "$1" in
  --host) HOST="$2"; shift 2 ;;
  --port) PORT="$2"; shift 2 ;;
  --base-url) BASE_URL="$2"; shift 2 ;;
  --ak) Ali_Key="$2"; shift 2 ;;
  --secret) Ali_Secret="$2"; shift 2 ;;
  --action) ACTION="$2"; shift 2 ;;
  --product) PRODUCT="$2"; shift 2 ;;
  --timestamp) TS_OVERRIDE="$2"; shift 2 ;;
  --nonce) NONCE_OVERRIDE="$2"; shift 2 ;;
  --timeout) TIMEOUT="$2"; shift 2 ;;
  --user-agent) USER_AGENT="$2"; shift 2 ;;
  --param)
    case "$2" in
    DomainName=*) DOMAIN="${2#DomainName=}" ;;
    *) usage "acme.sh's hook sends only DomainName, SSLPub, SSLPri (got --param $2)" ;;
    esac
    shift 2 ;;
  --param-file)
    case "$2" in
    SSLPub=*) PUB_FILE="${2#SSLPub=}" ;;
    SSLPri=*) PRI_FILE="${2#SSLPri=}" ;;
    DomainName=*) DOMAIN="$(cat "${2#DomainName=}")" ;;
    *) usage "acme.sh's hook sends only DomainName, SSLPub, SSLPri (got --param-file $2)" ;;
    esac
    shift 2 ;;
  -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) usage "unknown argument $1" ;;
  esac
done

if [ -z "$PRODUCT" ]; then
  case "$ACTION" in
  "" | SetCdnDomainSSLCertificate) PRODUCT=cdn ;;
  SetDcdnDomainSSLCertificate) PRODUCT=dcdn ;;
  *) usage "acme.sh sends only SetCdnDomainSSLCertificate (ali_cdn) or SetDcdnDomainSSLCertificate (ali_dcdn)" ;;
  esac
fi
case "$PRODUCT" in
cdn) HOOK=ali_cdn; API_ACTION=SetCdnDomainSSLCertificate; API_VERSION=2018-05-10 ;;
dcdn) HOOK=ali_dcdn; API_ACTION=SetDcdnDomainSSLCertificate; API_VERSION=2018-01-15 ;;
*) usage "--product must be cdn or dcdn" ;;
esac
[ -n "$ACTION" ] && [ "$ACTION" != "$API_ACTION" ] && usage "--action $ACTION does not match --product $PRODUCT"
[ -n "$DOMAIN" ] || usage "--param DomainName=... is required"
[ -n "$PUB_FILE" ] && [ -r "$PUB_FILE" ] || usage "--param-file SSLPub=FULLCHAIN is required (readable)"
[ -n "$PRI_FILE" ] && [ -r "$PRI_FILE" ] || usage "--param-file SSLPri=KEY is required (readable)"
if [ -z "$BASE_URL" ]; then
  [ -n "$PORT" ] || usage "--port or --base-url is required"
  BASE_URL="http://$HOST:$PORT/"
fi
command -v curl >/dev/null || usage "curl not found"
command -v openssl >/dev/null || usage "openssl not found"
ACME_OPENSSL_BIN=openssl

# ---------------------------------------------------------------- acme.sh helpers (same output)
# _hex_dump: od -A n -v -t x1 | tr -s " " | sed 's/ $//' | tr -d "\r\t\n"
_hex_dump() {
  od -A n -v -t x1 | tr -s " " | sed 's/ $//' | tr -d "\r\t\n"
}

# _url_encode upper-hex: every byte but A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case hex).
_url_encode_upper() {
  od -A n -v -t x1 | tr -s ' \t\r\n' '\n' | LC_ALL=C awk '
    BEGIN {
      keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
      for (i = 1; i <= length(keep); i++) {
        c = substr(keep, i, 1)
        for (b = 0; b < 256; b++) if (sprintf("%c", b) == c) { tab[sprintf("%02x", b)] = c; break }
      }
    }
    NF { if ($1 in tab) printf "%s", tab[$1]; else printf "%%%s", toupper($1) }'
}

# _ali_nonce: with ACME_OPENSSL_BIN set (acme.sh always sets it), 16 random bytes as hex.
_ali_nonce() {
  if [ -n "$NONCE_OVERRIDE" ]; then printf "%s" "$NONCE_OVERRIDE"; return 0; fi
  if [ "$ACME_OPENSSL_BIN" ]; then
    "$ACME_OPENSSL_BIN" rand -hex 16 2>/dev/null && return 0
  fi
  printf "%s" "$(date +%s)$$$(date +%N)" | openssl dgst -sha256 -hex | cut -d = -f 2 | tr -d ' ' | cut -c 1-32
}

# _ali_timestamp: date -u +"%Y-%m-%dT%H%%3A%M%%3A%SZ" (the colons already percent-encoded)
_ali_timestamp() {
  if [ -n "$TS_OVERRIDE" ]; then printf "%s" "$TS_OVERRIDE" | sed 's/:/%3A/g'; return 0; fi
  date -u +"%Y-%m-%dT%H%%3A%M%%3A%SZ"
}

# ---------------------------------------------------------------- the hook
# read cert and key files and urlencode both (ali_cdn_deploy)
_cert=$(_url_encode_upper <"$PUB_FILE")
_key=$(_url_encode_upper <"$PRI_FILE")

# _set_cdn_domain_ssl_certificate_query / _set_dcdn_domain_ssl_certificate_query
endpoint="$BASE_URL"
query=''
query=$query'AccessKeyId='$Ali_Key
query=$query'&Action='$API_ACTION
query=$query'&CertType=upload'
query=$query'&DomainName='$DOMAIN
query=$query'&Format=json'
query=$query'&SSLPri='$_key
query=$query'&SSLProtocol=on'
query=$query'&SSLPub='$_cert
query=$query'&SignatureMethod=HMAC-SHA1'
_nonce="$(_ali_nonce)"
query=$query"&SignatureNonce=$_nonce"
query=$query'&SignatureVersion=1.0'
_ts="$(_ali_timestamp)"
query=$query'&Timestamp='$_ts
query=$query'&Version='$API_VERSION

# _ali_rest "Set CDN domain SSL certificate for $domain" "" POST
mtd=POST
signature=$(printf "%s" "$mtd&%2F&$(printf "%s" "$query" | _url_encode_upper)" \
  | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$(printf "%s" "$Ali_Secret&" | _hex_dump | tr -d " ")" -binary \
  | openssl base64 -e | tr -d '\r\n')
signature=$(printf "%s" "$signature" | _url_encode_upper)
url="$endpoint?Signature=$signature"

HTTP_HEADER="$(mktemp)"
trap 'rm -f "$HTTP_HEADER"' EXIT
# _post "$query" "$url" "" "$mtd" "application/x-www-form-urlencoded" with curl, as _inithttp
# builds it: curl --silent --dump-header $HTTP_HEADER -L -g (+ --max-time here).
# _H1.._H5 are empty in the deploy hooks; curl ignores -H "".
response="$(curl --silent --dump-header "$HTTP_HEADER" -L -g --max-time "$TIMEOUT" \
  --user-agent "$USER_AGENT" -X $mtd -H "Content-Type: application/x-www-form-urlencoded" \
  -H "" -H "" -H "" -H "" -H "" --data "$query" "$url")"
_ret="$?"

ok=true
acme_message=""
if [ "$_ret" != "0" ]; then
  ok=false
  acme_log="Error <Set ${PRODUCT^^} domain SSL certificate for $DOMAIN>"
else
  acme_message="$(echo "$response" | grep -E -o -- "\"Message\":\"[^\"]*\"" 2>/dev/null | cut -d : -f 2 | tr -d \")"
  if [ "$acme_message" ]; then
    ok=false
    acme_log="$acme_message"
  else
    acme_log="Domain $DOMAIN certificate has been deployed successfully"
  fi
fi
http_status="$(grep "^HTTP" "$HTTP_HEADER" 2>/dev/null | tail -n 1 | cut -d " " -f 2 | tr -d "\r\n")"

export ACME_OK="$ok" ACME_RET="$_ret" ACME_MESSAGE="$acme_message" ACME_LOG="$acme_log" \
  ACME_HTTP_STATUS="$http_status" ACME_RESPONSE="$response" ACME_HOOK="$HOOK" \
  ACME_PRI_FILE="$PRI_FILE" ACME_TS="$_ts" ACME_NONCE="$_nonce" ACME_UA="$USER_AGENT"
python3 - "$HERE" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[1])
import _common
env = os.environ
with open(env["ACME_PRI_FILE"], "rb") as f:
    red = _common.Redactor({"SSLPri": f.read().decode("utf-8", "replace")})
raw = env["ACME_RESPONSE"]
body = _common.parse_json(raw)
d = body if isinstance(body, dict) else {}
status = env["ACME_HTTP_STATUS"]
result = {
    "client": "acme.sh deploy/%s (dnsapi/dns_ali.sh _ali_rest)" % env["ACME_HOOK"],
    "ok": env["ACME_OK"] == "true",
    "http_status": int(status) if status.isdigit() else None,
    "code": d.get("Code"),
    "message": d.get("Message"),
    "request_id": d.get("RequestId"),
    "body": body if body is not None else raw,
    "exception": None,
    "acme_message": env["ACME_MESSAGE"] or None,
    "acme_log": env["ACME_LOG"],
    "hook_exit_status": 0,
    "curl_exit": int(env["ACME_RET"]),
    "raw_response": raw,
    "timestamp": env["ACME_TS"],
    "nonce": env["ACME_NONCE"],
    "user_agent": env["ACME_UA"],
}
_common.emit(result, red)
PY
