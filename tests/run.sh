#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to passing tests (README "Two commands"; .ci/run):
# installs what is missing, builds with warnings as errors, runs every test (unit, store,
# scheduler, services over gRPC, the crash test, the end-to-end walk through the client) with
# CTest; then the checks that need their own builds: the whole suite under ASan+UBSan, the
# concurrency tests under TSan, and 60 s of fuzzing.
#
# RECTIFY_QUICK=1 stops after the first CTest run (for the edit-build-test loop; CI never sets
# it). See README "Checking it yourself" for what each part costs on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
stage() { echo "tests/run.sh: $1 ($((SECONDS - started)) s so far)"; }
stage "installing what is missing"
bash deploy/install-deps.sh

stage "build and CTest"
BUILD_DIR=${BUILD_DIR:-build} bash deploy/build.sh -DRECTIFY_WERROR=ON -DRECTIFY_BUILD_TESTS=ON
( cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 300 )
if [ "${RECTIFY_QUICK:-0}" = 1 ]; then
  stage "RECTIFY_QUICK=1: sanitizers and fuzzing skipped"
  exit 0
fi

stage "ASan+UBSan"
bash tests/sanitize.sh address
stage "TSan"
bash tests/sanitize.sh thread
stage "fuzzing"
bash tests/fuzz/run.sh
stage "all passed"
