#!/usr/bin/env bash
# Builds every fuzz target of fuzz/Cargo.toml into $OUT, with its seed corpus as
# $OUT/<target>_seed_corpus.zip: the build script of ClusterFuzzLite (.clusterfuzzlite/) and of
# OSS-Fuzz (fuzz/oss-fuzz/build.sh runs this one). Outside their images, run it from a checkout
# with a scratch $OUT (fuzz/README.md, "OSS-Fuzz and ClusterFuzzLite"; fuzz/oss-fuzz/check.sh
# also checks what it wrote):
#   OUT=/tmp/out FUZZ_SANITIZER=none .clusterfuzzlite/build.sh
# Needs cargo-fuzz, a nightly toolchain (rustup's `nightly` unless RUSTUP_TOOLCHAIN names
# another, as the images do) and python3; zip when there is one.
set -euo pipefail
: "${OUT:?OUT: the folder the binaries and seed corpora go to}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# The checkout: the one this script is in, else where the images put it ($SRC/cert-preflight;
# their Dockerfiles copy this script to $SRC/build.sh).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$here/../fuzz/Cargo.toml" ]; then
  cd "$here/.."
else
  cd "${SRC:?SRC: the folder that holds the cert-preflight checkout}/cert-preflight"
fi
export RUSTUP_TOOLCHAIN="${RUSTUP_TOOLCHAIN:-nightly}"

# Every [[bin]] of fuzz/Cargo.toml, after the fuzz workspace's target folder. Not `cargo fuzz
# list`: in OSS-Fuzz's coverage builds its `cargo` wrapper turns every `cargo fuzz …` into a
# plain build and prints no list.
metadata=$(cargo metadata --no-deps --format-version 1 --manifest-path fuzz/Cargo.toml |
  python3 -c 'import json, sys
m = json.load(sys.stdin)
print(m["target_directory"])
for t in m["packages"][0]["targets"]:
    if "bin" in t["kind"]:
        print(t["name"])')
built="$(head -n 1 <<<"$metadata")/x86_64-unknown-linux-gnu/release"
targets=$(tail -n +2 <<<"$metadata")
if [ -z "$targets" ]; then
  echo "no fuzz targets in fuzz/Cargo.toml" >&2
  exit 1
fi

# Release, with debug assertions and overflow checks as in the campaigns (fuzz/README.md);
# AddressSanitizer, as OSS-Fuzz asks, unless FUZZ_SANITIZER names another: with `none` (the
# library forbids `unsafe`) this is exactly `cargo fuzz build -s none`, the build .ci/run and
# campaign.sh fuzz with, so either reuses the other's.
cargo fuzz build -O --debug-assertions ${FUZZ_SANITIZER:+--sanitizer "$FUZZ_SANITIZER"}

for target in $targets; do
  cp "$built/$target" "$OUT/"
  corpus="fuzz/corpus/$target"
  zip_file="$OUT/${target}_seed_corpus.zip"
  rm -f "$zip_file"
  [ -d "$corpus" ] || continue
  # Flat: the corpus folder's files at the archive's top.
  if command -v zip >/dev/null; then
    (
      cd "$corpus"
      shopt -s dotglob nullglob
      for file in *; do
        if [ -f "$file" ]; then printf '%s\n' "$file"; fi
      done | zip -q -X "$zip_file" -@
    )
  else
    python3 - "$corpus" "$zip_file" <<'PY'
import pathlib, sys, zipfile
corpus, archive = pathlib.Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(p for p in corpus.iterdir() if p.is_file()):
        z.write(f, f.name)
PY
  fi
done
echo "built into $OUT: $(echo $targets)"
