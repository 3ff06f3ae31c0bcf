#!/usr/bin/env bash
# Sanitizer runs of the test suite (issue 5):
#   address  build everything with gcc -fsanitize=address,undefined (-DRECTIFY_SANITIZE=address)
#            into build-asan and run every CTest test (unit, integration, shutdown, crash test)
#   thread   build the concurrency tests with -fsanitize=thread (-DRECTIFY_SANITIZE=thread) into
#            build-tsan and run them (see the note below)
#   all      both (the default)
# Any report fails the run: ASan, LSan and UBSan abort the test; TSan exits 66.
#
# ThreadSanitizer and Debian's Abseil: libabsl_synchronization.so is not built with TSan, so
# TSan cannot see absl::Mutex lock and unlock, and reports every access guarded by an
# absl::Mutex as a race ("false positives"). The store (SqliteStore: write_mu_, pool_mu_), the
# scheduler, the request purger and FakeClock all lock absl::Mutex. So under TSan this script
# runs only the tests whose threads synchronise through what TSan understands (std::mutex,
# std::condition_variable, std::thread, atomics, gRPC's own threads are uninstrumented too); see
# TSAN_TESTS below, and README-durability.md for the list and the reason. Nothing is suppressed.
#
# Environment: ASAN_BUILD_DIR (build-asan), TSAN_BUILD_DIR (build-tsan), JOBS (nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
JOBS=${JOBS:-$(nproc)}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

configure() {  # configure DIR SANITIZER
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECTIFY_SANITIZE="$2" \
    -DRECTIFY_WERROR=ON "${launcher[@]}" >/dev/null
}

run_address() {
  local dir=${ASAN_BUILD_DIR:-build-asan}
  echo "sanitize: ASan+UBSan build in $dir"
  configure "$dir" address
  cmake --build "$dir" -j "$JOBS"
  echo "sanitize: running the tests under ASan+UBSan"
  ( cd "$dir" &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j "$JOBS" --timeout 600 )
}

# binary:gtest-filter. Threads synchronised by std:: primitives only (see the note above).
TSAN_TESTS=(
  "tests/client_retry_test:*"
)

run_thread() {
  local dir=${TSAN_BUILD_DIR:-build-tsan}
  echo "sanitize: TSan build in $dir"
  configure "$dir" thread
  local targets=()
  for entry in "${TSAN_TESTS[@]}"; do targets+=("$(basename "${entry%%:*}")"); done
  cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
  for entry in "${TSAN_TESTS[@]}"; do
    local binary=${entry%%:*} filter=${entry#*:}
    echo "sanitize: TSan: $binary --gtest_filter=$filter"
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "$dir/$binary" --gtest_filter="$filter"
  done
}

case "$MODE" in
  address) run_address ;;
  thread) run_thread ;;
  all) run_address; run_thread ;;
  *) echo "usage: tests/sanitize.sh [address|thread|all]" >&2; exit 2 ;;
esac
echo "sanitize: $MODE: no reports"
