#!/usr/bin/env bash
# Power loss, many times: each run writes concurrently through the real store with group commit
# on a VFS that keeps only what was synced, cuts the power at a random I/O operation, reboots
# (copies what the disk holds, runs integrity_check, reopens) and counts acknowledged writes that
# are gone. Needs a build with -DRECTIFY_BUILD_TESTS=ON. Usage: tests/bench/power_loss.sh [RUNS]
# Extra arguments go to rectify-power-loss (--seed S, --normal, --keep P).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
runs=${1:-1000}
shift || true
bin="$BUILD_DIR/tests/rectify-power-loss"
if [[ ! -x $bin ]]; then
  echo "power_loss.sh: $bin is missing; build with -DRECTIFY_BUILD_TESTS=ON" >&2
  exit 2
fi
start=$(date +%s)
"$bin" --runs "$runs" "$@"
echo "elapsed: $(( $(date +%s) - start )) s"
