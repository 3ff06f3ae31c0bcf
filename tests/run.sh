#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to passing tests: installs what is missing, builds
# with warnings as errors, runs every test (unit, store, scheduler, services over gRPC, and the
# end-to-end walk through the client) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} bash deploy/build.sh -DRECTIFY_WERROR=ON -DRECTIFY_BUILD_TESTS=ON
( cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 300 )

# The long checks: the test suite under ASan+UBSan, the concurrency tests under TSan, and 60 s
# of fuzzing (each its own build). RECTIFY_CI_FULL=1 turns them on; see README "Checking it
# yourself" for what they cost on a 2-core machine.
if [ "${RECTIFY_CI_FULL:-0}" = 1 ]; then
  bash tests/sanitize.sh all
  bash tests/fuzz/run.sh
fi
