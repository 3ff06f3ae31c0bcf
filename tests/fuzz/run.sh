#!/usr/bin/env bash
# Builds the libFuzzer target tests/fuzz/fuzz_requests with clang (ASan + UBSan, -DRECTIFY_FUZZ=ON)
# and runs it for a bounded time; exits non-zero on any finding (crash, sanitizer report, leak,
# timeout, or an RPC answering INTERNAL/UNKNOWN/DATA_LOSS).
#
# Environment: FUZZ_SECONDS (default 60: the time spent fuzzing, build not counted),
# FUZZ_BUILD_DIR (default build-asan: the ASan+UBSan build of tests/sanitize.sh address, which is
# configured the same way, so after it only the fuzz targets are left to link), JOBS (default nproc). The corpus grows in
# $FUZZ_BUILD_DIR/fuzz-corpus across runs; findings land in $FUZZ_BUILD_DIR/fuzz-findings.
# Replay one: $FUZZ_BUILD_DIR/tests/fuzz/fuzz_requests FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${FUZZ_BUILD_DIR:-build-asan}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-$(nproc)}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: needs clang: bash deploy/install-deps.sh" >&2
  exit 2
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# Configured exactly as tests/sanitize.sh configure_address does (keep the two in step).
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECTIFY_FUZZ=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DRECTIFY_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target fuzz_requests fuzz_seeds

CORPUS=$BUILD/fuzz-corpus
SEEDS=$BUILD/fuzz-seeds
FINDINGS=$BUILD/fuzz-findings
mkdir -p "$CORPUS" "$FINDINGS"
rm -rf "$SEEDS" && mkdir -p "$SEEDS"
"$BUILD/tests/fuzz/fuzz_seeds" "$SEEDS"
# Importer seeds: a document followed by the mode byte 0 (see tests/fuzz/fuzz_input.h).
for doc in tests/data/importer/*; do
  [ -f "$doc" ] || continue
  { cat "$doc"; printf '\0'; } >"$SEEDS/doc-$(basename "$doc")"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rectify-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "fuzz: fuzz_requests for ${FUZZ_SECONDS} s ($(ls "$SEEDS" | wc -l) seeds, $(ls "$CORPUS" | wc -l) in the corpus)"
status=0
TMPDIR=$WORK ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$BUILD/tests/fuzz/fuzz_requests" "$CORPUS" "$SEEDS" \
  -max_total_time="$FUZZ_SECONDS" -timeout=25 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 -artifact_prefix="$FINDINGS/" >"$WORK/fuzz.log" 2>&1 || status=$?
grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done)" "$WORK/fuzz.log" || true
if [ $status -ne 0 ]; then
  tail -n 60 "$WORK/fuzz.log"
  echo "fuzz: FAILED (exit $status); the input is in $FINDINGS"
  exit 1
fi
echo "fuzz: no findings in ${FUZZ_SECONDS} s"
