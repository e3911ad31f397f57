#!/usr/bin/env bash
# Long fuzzing campaigns, one target at a time on one core, at the lowest priority:
#   fuzz/campaign.sh [TARGET:SECONDS ...]      (default: every target, 10 million runs or 1 hour)
# Each run stops at 10,000,000 executions or at its time limit, whichever comes first; new
# inputs go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/, the log (with
# libFuzzer's final stats) to fuzz/logs/<target>.log. Needs nightly and cargo-fuzz.
set -uo pipefail
cd "$(dirname "$0")"
mkdir -p logs
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for target in $(cargo +nightly fuzz list); do targets+=("$target:3600"); done
fi
cargo +nightly fuzz build -s none
for spec in "${targets[@]}"; do
  target=${spec%%:*} seconds=${spec##*:}
  mkdir -p "corpus/$target"
  echo "== $target: up to 10,000,000 runs or ${seconds}s ($(date -u +%H:%M:%S))"
  start=$(date +%s)
  # -jobs=1 -workers=1: one fuzzing process on one core; libFuzzer writes its log to
  # fuzz-0.log, kept as logs/<target>.log.
  rm -f fuzz-0.log
  nice -n 19 cargo +nightly fuzz run -s none "$target" "corpus/$target" -- \
    -runs=10000000 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -jobs=1 -workers=1 >"logs/$target.run" 2>&1
  status=$?
  cat "logs/$target.run" fuzz-0.log >"logs/$target.log" 2>/dev/null
  rm -f "logs/$target.run" fuzz-0.log
  echo "   exit $status after $(( $(date +%s) - start ))s; $(grep -E '^stat::number_of_executed_units' "logs/$target.log")"
done
