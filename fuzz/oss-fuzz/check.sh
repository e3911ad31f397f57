#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh as the OSS-Fuzz and ClusterFuzzLite images do — copied to
# $SRC/build.sh, the checkout at $SRC/cert-preflight, a scratch $OUT — and checks what it wrote:
# for every fuzz target (`cargo fuzz list`) a binary and <target>_seed_corpus.zip, each zip
# holding exactly the files of fuzz/corpus/<target>/, and each binary running one input of its
# corpus. .ci/run runs it; needs what build.sh needs. FUZZ_SANITIZER is `none` unless set: the
# build .ci/run's fuzz runs reuse.
set -euo pipefail
cd "$(dirname "$0")/../.."
export RUSTUP_TOOLCHAIN="${RUSTUP_TOOLCHAIN:-nightly}"
export FUZZ_SANITIZER="${FUZZ_SANITIZER-none}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/src" "$scratch/out"
ln -s "$PWD" "$scratch/src/cert-preflight"
cp .clusterfuzzlite/build.sh "$scratch/src/build.sh"

start=$(date +%s)
(cd "$scratch/src/cert-preflight" && SRC="$scratch/src" OUT="$scratch/out" bash "$scratch/src/build.sh")
echo "build.sh: $(($(date +%s) - start)) s"

targets=$(cd fuzz && cargo fuzz list)
python3 - "$scratch/out" fuzz/corpus $targets <<'PY'
import os, pathlib, subprocess, sys, zipfile

out, corpora, targets = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
assert targets, "cargo fuzz list names no target"
folders = sorted(p.name for p in corpora.iterdir() if p.is_dir())
assert folders == sorted(targets), f"corpus folders {folders} are not the targets {targets}"
for target in targets:
    binary = out / target
    assert binary.is_file() and os.access(binary, os.X_OK), f"{binary}: no binary"
    corpus = corpora / target
    files = {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()}
    with zipfile.ZipFile(out / f"{target}_seed_corpus.zip") as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), f"{target}: a name twice in the zip"
        assert sorted(names) == sorted(files), (
            f"{target}: the zip holds {len(names)} files, {corpus} {len(files)}: "
            f"{sorted(set(names) ^ set(files))[:5]}"
        )
        for name in names:
            assert archive.read(name) == files[name], f"{target}: {name} differs"
    first = corpus / min(files)
    run = subprocess.run([binary, "-runs=1", first], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "Executed" in run.stderr, f"{binary} {first}:\n{run.stderr}"
    print(f"{target}: binary runs {first.name}; zip = {len(files)} corpus files")
PY
