#!/usr/bin/env bash
# The performance benchmark: one run seeds ledgers, measures every figure with rectify-bench (client)
# against a rectifyd it starts itself (client and server share this machine), prints a table, one
# JSON line per figure, and MET / MISSED for each target in docs/performance.md.
#
#   1. no-op baseline (grpc.health.v1 Check) at 1, 8, 64, 256 in flight
#   2. durable progress reports/s with p50/p99 at 1, 8, 64, 256 in flight (group commit), and
#      p99 at half the peak rate (open loop, --rate); the same reports over the HTTP/JSON gateway
#      (POST /api/…/ReportProgress, one keep-alive connection per call in flight) at 1, 8, 64
#   3. the same with rectifyd --write_batch=1 (one transaction per write)
#   4. task creation/s: bulk (rectify-seed: the domain, 10,000 tasks a transaction, no RPC) and
#      one by one (CreateTask RPCs, 1 and 64 in flight)
#   5. the overdue report (1,000 overdue tasks: the same result on every ledger) and the full
#      statistics roll-up (per unit, whole tree) on ledgers of 100k and 1M tasks
#   6. one scheduler pass when 1% of the ledger crosses its deadline at once (rectify-seed runs it
#      in-process with a fake clock), and an idle pass
#   7. streaming the full export: rows/s and rectifyd's resident memory before, during and after
#   8. rectifyd's resident memory holding the ledger, and its start-up time on that database
#
# Usage: bash tests/bench/bench.sh [BUILD_DIR]          (default: build; full run: 10-15 minutes)
#        BENCH_QUICK=1 bash tests/bench/bench.sh build  (small ledgers, short runs: ~1 minute)
# Env: SECONDS_PER_RUN (default 5, quick 1), BENCH_SIZES (default "100000 1000000", quick
#      "2000 20000"; "" skips the large ledgers), BENCH_JSON=FILE to keep the JSON lines.
# Needs the targets rectifyd, rectify-bench, rectify-seed; and python3 for the table.
set -euo pipefail
BUILD=${1:-build}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
  SECS=${SECONDS_PER_RUN:-1}
  SIZES=${BENCH_SIZES-"2000 20000"}
  SMALL_TASKS=200
else
  SECS=${SECONDS_PER_RUN:-5}
  SIZES=${BENCH_SIZES-"100000 1000000"}
  SMALL_TASKS=1000
fi
RECTIFYD=$BUILD/services/rectifyd/rectifyd
BENCH=$BUILD/tests/rectify-bench
SEED=$BUILD/tests/rectify-seed
for b in "$RECTIFYD" "$BENCH" "$SEED"; do
  [ -x "$b" ] || { echo "bench.sh: $b is missing: ninja -C $BUILD rectifyd rectify-bench rectify-seed" >&2; exit 2; }
done
WORK=$(mktemp -d)
PID=""
RESULTS=$WORK/results.jsonl
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  [ -n "${BENCH_JSON:-}" ] && cp "$RESULTS" "$BENCH_JSON"
  rm -rf "$WORK"
}
trap cleanup EXIT
: >"$RESULTS"

emit() {  # emit JSON LABEL: tags a JSON line with its label and keeps it
  local line=$1 label=$2
  echo "${line%\}},\"label\":\"$label\"}" | tee -a "$RESULTS"
}

kib() {  # kib FIELD: rectifyd's /proc status field (VmRSS, VmHWM) in KiB
  awk -v f="$1:" '$1 == f {print $2}' "/proc/$PID/status"
}

start() {  # start DB [FLAGS...]: rectifyd on DB; sets SERVER, HTTP, TOKEN_ARGS, START_MS
  local db=$1; shift
  stop
  rm -f "$WORK/port" "$WORK/http_port"
  local t0 t1
  t0=$(date +%s%N)
  "$RECTIFYD" --db "$db" --listen 127.0.0.1:0 --port_file "$WORK/port" \
    --http_listen 127.0.0.1:0 --http_port_file "$WORK/http_port" "$@" \
    2>>"$WORK/server.log" &
  PID=$!
  for _ in $(seq 600); do [ -s "$WORK/port" ] && break; sleep 0.01; done
  t1=$(date +%s%N)
  [ -s "$WORK/port" ] || { echo "bench.sh: rectifyd did not start:" >&2; tail "$WORK/server.log" >&2; exit 1; }
  START_MS=$(( (t1 - t0) / 1000000 ))
  SERVER=127.0.0.1:$(cat "$WORK/port")
  HTTP=127.0.0.1:$(cat "$WORK/http_port")
  # The bootstrap committee token, once the server writes one; harmless before.
  TOKEN_ARGS=()
  local token_file
  token_file=$(dirname "$db")/rectify-admin.token
  [ -s "$token_file" ] && TOKEN_ARGS=(--token_file "$token_file")
  return 0
}

stop() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  PID=""
}

bench() {  # bench LABEL ARGS...: one rectify-bench run against SERVER; $EXTRA joins its JSON
  local label=$1; shift
  local line
  line=$("$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" "$@")
  [ -n "${EXTRA:-}" ] && line="${line%\}},$EXTRA}"
  emit "$line" "$label"
}

warm_up() {  # a second of writes, unrecorded: the WAL file reaches its working size first, so that
  # the measured fsyncs overwrite blocks instead of growing a fresh file (which costs about twice)
  "$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode progress --concurrency 64 --seconds 1 \
    --tasks "1-$SMALL_TASKS" --run-id "warm$RANDOM" >/dev/null
}

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/{print $2}') GiB; quick=$QUICK; $(date -u +%FT%TZ) =="

# --- 1-4: durable writes on a small ledger ---------------------------------------------------
mkdir -p "$WORK/small"
"$SEED" --db "$WORK/small/ledger.db" --tasks "$SMALL_TASKS" --overdue 0 --hot_percent 0 >"$WORK/small/seed.jsonl"
emit "$(head -1 "$WORK/small/seed.jsonl")" "seed small"
start "$WORK/small/ledger.db"
warm_up
for c in 1 8 64 256; do bench "baseline health" --mode health --concurrency "$c" --seconds "$SECS"; done
for c in 1 8 64 256; do
  bench "progress, group commit" --mode progress --concurrency "$c" --seconds "$SECS" \
    --tasks "1-$SMALL_TASKS" --run-id "g$c"
done
for c in 1 8 64; do
  bench "progress over HTTP/JSON" --mode http-progress --http "$HTTP" --concurrency "$c" \
    --seconds "$SECS" --tasks "1-$SMALL_TASKS" --run-id "h$c"
done
PEAK=$(python3 -c 'import json,sys; print(max(json.loads(l)["rate"] for l in open(sys.argv[1]) if "progress, group commit" in l))' "$RESULTS")
HALF=$(python3 -c "print(round($PEAK / 2, 1))")
bench "progress at half peak" --mode progress --concurrency 256 --seconds "$SECS" \
  --tasks "1-$SMALL_TASKS" --rate "$HALF" --run-id half
bench "create one by one" --mode create --concurrency 1 --seconds "$SECS" --problem 1 --unit 3 --run-id c1
bench "create one by one" --mode create --concurrency 64 --seconds "$SECS" --problem 1 --unit 3 --run-id c64
start "$WORK/small/ledger.db" --write_batch=1
warm_up
for c in 1 8 64 256; do
  bench "progress, one txn per write" --mode progress --concurrency "$c" --seconds "$SECS" \
    --tasks "1-$SMALL_TASKS" --run-id "s$c"
done
stop

# --- 4-8: large ledgers ------------------------------------------------------------------------
for n in $SIZES; do
  dir=$WORK/l$n
  mkdir -p "$dir"
  echo "-- seeding $n tasks (rectify-seed) --" >&2
  "$SEED" --db "$dir/ledger.db" --tasks "$n" >"$dir/seed.jsonl"
  while read -r line; do
    case $line in
      *'"figure":"seed"'*) emit "$line" "create bulk (seed)" ;;
      *'"pass":"deadline crossed"'*) emit "$line" "scheduler pass, 1% crosses" ;;
      *'"pass":"idle"'*) emit "$line" "scheduler pass, idle" ;;
    esac
  done <"$dir/seed.jsonl"
  start "$dir/ledger.db"
  sleep 1  # let the first scheduler pass (catch-up) finish before measuring memory
  emit "{\"ledger\":$n,\"start_ms\":$START_MS,\"rss_mib\":$(( $(kib VmRSS) / 1024 ))}" "rectifyd start"
  EXTRA="\"ledger\":$n" bench "overdue report" --mode overdue --calls 5 --unit 0
  EXTRA="\"ledger\":$n" bench "statistics roll-up" --mode statistics --calls 20 --unit 0
  before=$(kib VmRSS)
  # Sample resident memory while the export streams.
  ( peak=0; while kill -0 "$PID" 2>/dev/null; do r=$(kib VmRSS || echo 0); [ "${r:-0}" -gt "$peak" ] && { peak=$r; echo "$peak" >"$WORK/export_peak"; }; sleep 0.05; done ) &
  sampler=$!
  export_line=$("$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode export --unit 0)
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  during=$(cat "$WORK/export_peak" 2>/dev/null || echo "$before")
  emit "${export_line%\}},\"ledger\":$n,\"rss_before_mib\":$(( before / 1024 )),\"rss_peak_during_mib\":$(( during / 1024 )),\"rss_after_mib\":$(( $(kib VmRSS) / 1024 )),\"hwm_mib\":$(( $(kib VmHWM) / 1024 ))}" "export"
  rm -f "$WORK/export_peak"
  stop
  rm -rf "$dir"
done

# --- table and targets -------------------------------------------------------------------------
python3 - "$RESULTS" "$QUICK" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
quick = sys.argv[2] == "1"
def sel(label, **kw):
    return [r for r in rows if r.get("label") == label and all(r.get(k) == v for k, v in kw.items())]
print()
print(f"{'figure':32} {'in flight / ledger':>18} {'per s':>11} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}")
for r in rows:
    label = r["label"]
    if "rate" in r and "concurrency" in r:
        extra = f" (offered {r['offered_rate']:.0f}/s)" if r.get("offered_rate") else ""
        print(f"{label:32} {r['concurrency']:>18} {r['rate']:>11.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['errors']:>7}{extra}")
    elif r.get("figure") == "seed":
        print(f"{label:32} {r['tasks']:>18} {r['rate']:>11.1f} {'':>9} {'':>9} {'':>7}")
    elif r.get("figure") == "scheduler_pass":
        print(f"{label:32} {r['ledger']:>18} {'':>11} {r['ms']:>9.1f} {'':>9} {'':>7}  checked {r['tasks_checked']}, raised {r['flags_raised']} (ms = whole pass)")
    elif label == "rectifyd start":
        print(f"{label:32} {r['ledger']:>18} {'':>11} {r['start_ms']:>9} {'':>9} {'':>7}  RSS {r['rss_mib']} MiB after start (ms = start-up)")
    elif label == "export":
        print(f"{label:32} {r['ledger']:>18} {r['rows_per_s']:>11.1f} {r['p50_ms']:>9.0f} {'':>9} {r['errors']:>7}  {r['rows']} rows; RSS {r['rss_before_mib']} -> peak {r['rss_peak_during_mib']} -> {r['rss_after_mib']} MiB, HWM {r['hwm_mib']} MiB")
    elif "calls" in r:
        print(f"{label:32} {r['ledger']:>18} {'':>11} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['errors']:>7}  {r['items']} items")
print()
failed = 0
def target(name, passed, detail):
    global failed
    if passed is None:
        print(f"n/a     {name}: {detail}")
        return
    failed += 0 if passed else 1
    print(f"{'MET    ' if passed else 'MISSED '} {name}: {detail}")
def best(label):
    c = sel(label)
    return max(c, key=lambda r: r["rate"]) if c else None
base, group, single = best("baseline health"), best("progress, group commit"), best("progress, one txn per write")
target("durable progress reports >= 1/2 of the no-op baseline", group["rate"] >= base["rate"] / 2,
       f"peak {group['rate']:.0f}/s (at {group['concurrency']} in flight) vs baseline {base['rate']:.0f}/s (at {base['concurrency']})")
target("group commit >= 10x one transaction per write", group["rate"] >= 10 * single["rate"],
       f"{group['rate']:.0f}/s vs {single['rate']:.0f}/s = {group['rate'] / max(single['rate'], 1e-9):.1f}x")
for c in (1, 8, 64):
    g, h = sel("progress, group commit", concurrency=c), sel("progress over HTTP/JSON", concurrency=c)
    if g and h:
        g, h = g[0], h[0]
        target(f"HTTP/JSON progress reports >= 1/2 of gRPC at {c} in flight",
               h["rate"] >= g["rate"] / 2 and h["errors"] == 0,
               f"{h['rate']:.0f}/s (p50 {h['p50_ms']:.2f} ms) vs gRPC {g['rate']:.0f}/s (p50 {g['p50_ms']:.2f} ms)"
               f" = {h['rate'] / max(g['rate'], 1e-9):.2f}x")
half = sel("progress at half peak")
if half:
    h = half[0]
    target("p99 < 10 ms at half the peak rate", h["p99_ms"] < 10 and h["errors"] == 0,
           f"p99 {h['p99_ms']:.2f} ms, p50 {h['p50_ms']:.2f} ms at {h['rate']:.0f}/s offered {h['offered_rate']:.0f}/s ({h['skipped']} calls not started: all in flight)")
ledgers = sorted({r["ledger"] for r in rows if "ledger" in r and r.get("label") != "seed small"})
if len(ledgers) >= 2:
    small, large = ledgers[0], ledgers[-1]
    for label in ("overdue report",):  # the statistics have their own target below
        a, b = sel(label, ledger=small), sel(label, ledger=large)
        if a and b:
            a, b = a[0], b[0]
            same = a["items"] == b["items"]
            target(f"{label} on {large} within 1.5x of {small}",
                   b["p50_ms"] <= 1.5 * max(a["p50_ms"], 1.0),
                   f"{b['p50_ms']:.1f} ms vs {a['p50_ms']:.1f} ms = {b['p50_ms'] / max(a['p50_ms'], 1e-9):.1f}x"
                   + ("" if same else f" (results differ: {a['items']} vs {b['items']} items)"))
    # The statistics roll-up reads counts kept per (unit, area, status) and per due day, never
    # the tasks, so both sizes should cost the same: at most 2x the smaller ledger's p50 (with a
    # 5 ms floor: below that a shared 2-core machine's scheduling noise dominates, while any
    # per-task scan costs 100+ ms at 100k tasks), and under 50 ms (a dashboard that refreshes on
    # every event).
    a, b = sel("statistics roll-up", ledger=small), sel("statistics roll-up", ledger=large)
    if a and b:
        a, b = a[0], b[0]
        target(f"statistics roll-up on {large} within 2x of {small} and under 50 ms",
               b["p50_ms"] <= 2 * max(a["p50_ms"], 5.0) and b["p50_ms"] < 50 and b["errors"] == 0,
               f"p50 {b['p50_ms']:.1f} ms (p99 {b['p99_ms']:.1f}) on {large} vs {a['p50_ms']:.1f} ms "
               f"(p99 {a['p99_ms']:.1f}) on {small}, {b['items']} vs {a['items']} lines")
    a, b = sel("scheduler pass, 1% crosses", ledger=small), sel("scheduler pass, 1% crosses", ledger=large)
    idle = sel("scheduler pass, idle", ledger=large)
    if a and b:
        a, b = a[0], b[0]
        pa, pb = a["ms"] / max(a["tasks_checked"], 1), b["ms"] / max(b["tasks_checked"], 1)
        target("scheduler pass costs in proportion to the tasks that change",
               pb <= 1.5 * pa and (not idle or idle[0]["ms"] < 50),
               f"{b['ms']:.0f} ms for {b['tasks_checked']} tasks on {large} ({pb * 1000:.0f} us/task) vs "
               f"{a['ms']:.0f} ms for {a['tasks_checked']} on {small} ({pa * 1000:.0f} us/task); idle pass on {large}: "
               f"{idle[0]['ms'] if idle else float('nan'):.1f} ms")
    st = sel("rectifyd start", ledger=large)
    ex = sel("export", ledger=large)
    if st and ex:
        st, ex = st[0], ex[0]
        target(f"rectifyd < 200 MiB resident with {large} tasks", ex["hwm_mib"] < 200,
               f"{st['rss_mib']} MiB after start, peak (VmHWM) {ex['hwm_mib']} MiB over reports and export")
        growth = ex["rss_peak_during_mib"] - ex["rss_before_mib"]
        target("rectifyd does not grow while exporting", growth <= 16,
               f"{ex['rss_before_mib']} MiB before, {ex['rss_peak_during_mib']} MiB at most during ({growth:+d} MiB), {ex['rows_per_s']:.0f} rows/s")
        target(f"rectifyd starts in < 1 s on {large} tasks", st["start_ms"] < 1000,
               f"{st['start_ms']} ms from exec to listening")
if quick:
    print("(quick mode: small ledgers and short runs; the ledger-size targets are indicative only)")
print(f"{failed} target(s) missed")
PY
