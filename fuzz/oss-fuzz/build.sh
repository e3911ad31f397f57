#!/bin/bash -eu
# OSS-Fuzz's projects/cert-preflight/build.sh: the build lives in the repository, shared with
# ClusterFuzzLite, so adding a fuzz target there needs no change here.
exec bash "$SRC/cert-preflight/.clusterfuzzlite/build.sh"
