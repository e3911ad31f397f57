#!/usr/bin/env bash
# Install the real Alibaba Cloud clients that cert-preflight serve's integration tests drive.
#
#   bash clients/install.sh            # idempotent; a second run only checks and exits
#   CLIENTS_FORCE=1 bash clients/install.sh   # reinstall from scratch
#
# Everything goes under <repo>/target/clients/ (nothing global, except that on a Debian
# machine without the python3 venv module it apt-get installs python3-venv):
#   target/clients/venv                      Python venv: clients/requirements.txt, pinned
#                                            transitively by clients/constraints.txt
#   target/clients/node/node_modules         @alicloud/pop-core, @alicloud/cas20200407 and
#                                            playwright-core from clients/node/package-lock.json
#   (with --browser) Debian's chromium and chromium-driver, for the page test (clients/page.js)
# Only package registries are used (PyPI through pip, npm through npm ci, Debian through apt-get).
set -euo pipefail

say() { printf '[clients/install] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DEST="$REPO/target/clients"
VENV="$DEST/venv"
NODE_DIR="$DEST/node"
PY="${PYTHON:-python3}"

mkdir -p "$DEST"
# One installation at a time (tests running in parallel may each call this script).
exec 9>"$DEST/.install.lock"
flock 9

# Hash of the files that define an installation; a stamp with the same hash means "done".
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ---------------------------------------------------------------- python
install_python() {
  local want stamp="$VENV/.cert-preflight-stamp"
  want="$(hash_of "$HERE/requirements.txt" "$HERE/constraints.txt")"
  if [ -z "${CLIENTS_FORCE:-}" ] && [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] \
     && [ "$(cat "$stamp")" = "$want" ] \
     && "$VENV/bin/python" -c 'import aliyunsdkcore, aliyunsdkcdn, aliyunsdklive, alibabacloud_cdn20180510, alibabacloud_live20161101, alibabacloud_dcdn20180115, alibabacloud_vod20170321, alibabacloud_cas20200407' 2>/dev/null; then
    say "python venv up to date: $VENV"
    return 0
  fi

  command -v "$PY" >/dev/null || die "$PY not found"
  if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
    say "python venv/ensurepip module missing"
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      say "apt-get update && apt-get install -y python3-venv"
      apt-get update -q >&2 || die "apt-get update failed"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >&2 \
        || die "apt-get install python3-venv failed"
      "$PY" -c 'import venv, ensurepip' 2>/dev/null \
        || die "python3-venv installed but '$PY -m venv' still unusable (is $PY the Debian python3?)"
    else
      die "'$PY -m venv' is unusable and apt-get (as root) is not available: install python3-venv"
    fi
  fi

  if [ -n "${CLIENTS_FORCE:-}" ] || [ ! -x "$VENV/bin/python" ]; then
    say "creating venv $VENV"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV" || die "python3 -m venv failed"
  fi
  say "pip install -r clients/requirements.txt -c clients/constraints.txt"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
     -r "$HERE/requirements.txt" -c "$HERE/constraints.txt" >&2 || die "pip install failed"
  "$VENV/bin/python" -c 'import aliyunsdkcore, aliyunsdkcdn, aliyunsdklive, alibabacloud_cdn20180510, alibabacloud_live20161101, alibabacloud_dcdn20180115, alibabacloud_vod20170321, alibabacloud_cas20200407' \
    || die "installed packages do not import"
  echo "$want" > "$stamp"
  say "python venv ready: $("$VENV/bin/python" -m pip freeze 2>/dev/null | grep -iE '^(aliyun-python-sdk|alibabacloud-(cdn|live|dcdn|vod|cas|tea-openapi))' | tr '\n' ' ')"
}

# ---------------------------------------------------------------- python: Classic Load Balancer
# The SLB SDKs (aliyun-python-sdk-slb, alibabacloud-slb20140515) that clients/slb_flows.py
# drives come with the requirements above; this checks that they import.
check_slb_clients() {
  "$VENV/bin/python" -c 'import aliyunsdkslb, alibabacloud_slb20140515' \
    || die "the SLB SDKs do not import: run CLIENTS_FORCE=1 bash clients/install.sh"
}

# ---------------------------------------------------------------- node
install_node() {
  local want stamp="$NODE_DIR/.cert-preflight-stamp"
  want="$(hash_of "$HERE/node/package.json" "$HERE/node/package-lock.json")"
  if [ -z "${CLIENTS_FORCE:-}" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && [ -f "$NODE_DIR/node_modules/@alicloud/pop-core/package.json" ] \
     && [ -f "$NODE_DIR/node_modules/@alicloud/cas20200407/package.json" ]; then
    say "node modules up to date: $NODE_DIR/node_modules"
    return 0
  fi
  command -v node >/dev/null || die "node not found"
  command -v npm >/dev/null || die "npm not found"
  mkdir -p "$NODE_DIR"
  cp "$HERE/node/package.json" "$HERE/node/package-lock.json" "$NODE_DIR/"
  say "npm ci --prefix $NODE_DIR (@alicloud/pop-core, @alicloud/cas20200407, playwright-core; pinned by clients/node/package-lock.json)"
  npm ci --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed"
  local pkg want_version
  for pkg in @alicloud/pop-core=1.8.0 @alicloud/cas20200407=3.0.0; do
    want_version="${pkg##*=}"; pkg="${pkg%=*}"
    node -e 'const p=require(process.argv[1]); if(p.version!==process.argv[2]){process.exit(1)}' \
      "$NODE_DIR/node_modules/$pkg/package.json" "$want_version" || die "$pkg is not $want_version"
  done
  # The driver's own import, as tea_node.js does it (the Tea client and its openapi-core).
  node -e 'const d=process.argv[1]; require(d+"/@alicloud/cas20200407"); require(d+"/@alicloud/openapi-core")' \
    "$NODE_DIR/node_modules" || die "@alicloud/cas20200407 does not load"
  echo "$want" > "$stamp"
  say "node modules ready: @alicloud/pop-core 1.8.0, @alicloud/cas20200407 3.0.0, playwright-core"
}

# ---------------------------------------------------------------- shell tools (acme.sh driver)
check_tools() {
  local missing=()
  for t in curl openssl; do command -v "$t" >/dev/null || missing+=("$t"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      say "apt-get install -y ${missing[*]} (for clients/acme_ali_cdn.sh)"
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
    else
      die "missing ${missing[*]} (needed by clients/acme_ali_cdn.sh)"
    fi
  else
    say "curl and openssl present"
  fi
}

# ---------------------------------------------------------------- browser (the page test)
install_browser() {
  if command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null; then
    say "chromium present: $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null || echo '?')"
    return
  fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    say "apt-get install -y chromium chromium-driver (for clients/page.js)"
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2 \
      || die "apt-get install chromium failed"
  else
    die "no chromium: install Debian's chromium (apt-get install chromium), or set CHROMIUM"
  fi
}

install_python
check_slb_clients
install_node
check_tools
if [ "${1:-}" = "--browser" ]; then install_browser; fi
say "done"
