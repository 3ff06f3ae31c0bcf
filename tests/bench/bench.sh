#!/usr/bin/env bash
# The benchmark: one run seeds ledgers, measures every figure with rectify-bench (client)
# against a rectifyd it starts itself (client and server share this machine), prints a table, one
# JSON line per figure, and MET / MISSED for each target (docs/performance.md).
#
#   1. no-op baseline (grpc.health.v1 Check) at 1, 8, 64, 256 in flight
#   2. durable progress reports/s with p50/p99 at 1, 8, 64, 256 in flight (group commit), and
#      p99 at half the peak rate (open loop, --rate); the same reports over the HTTP/JSON gateway
#      (POST /api/…/ReportProgress, one keep-alive connection per call in flight) at 1, 8, 64
#   3. the same with rectifyd --write_batch=1 (one transaction per write)
#   3b. the write path: commits (fsyncs) per acknowledged write at 1, 8, 64, 256 in flight (from
#      the "N writes in M commits" line rectifyd prints when it stops); database growth per durable
#      progress report with a 30-character text, per table and index (dbstat), over the longest
#      write run, and rectifyd's resident memory at that run's start and end
#   3c. PostgreSQL: the same durable progress reports at 1, 8, 64 in flight on a private
#      PostgreSQL 15 (tests/support/pg_server.sh, with fsync, synchronous_commit and
#      full_page_writes turned back on) through one rectifyd node, then through three nodes on
#      the same database with the load spread over them; the ratio to SQLite's group commit at
#      64 in flight (no target: informational)
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
#        BENCH_ONLY=postgres bash tests/bench/bench.sh build  (SQLite's group-commit progress
#        reports and the PostgreSQL section only: about a minute, 20 s quick)
# Env: SECONDS_PER_RUN (default 5, quick 1), BENCH_SIZES (default "100000 1000000", quick
#      "2000 20000"; "" skips the large ledgers), BENCH_JSON=FILE to keep the JSON lines,
#      RECTIFY_PG_BIN (default /usr/lib/postgresql/15/bin; without PostgreSQL there the
#      PostgreSQL section is skipped, and BENCH_ONLY=postgres fails).
# Needs the targets rectifyd, rectify-bench, rectify-seed; and python3 for the table.
set -euo pipefail
BUILD=${1:-build}
QUICK=${BENCH_QUICK:-0}
ONLY=${BENCH_ONLY:-}
case $ONLY in
  "" | postgres) ;;
  *) echo "bench.sh: BENCH_ONLY must be empty or postgres, not '$ONLY'" >&2; exit 2 ;;
esac
if [ "$QUICK" = 1 ]; then
  SECS=${SECONDS_PER_RUN:-1}
  SIZES=${BENCH_SIZES-"2000 20000"}
  SMALL_TASKS=200
else
  SECS=${SECONDS_PER_RUN:-5}
  SIZES=${BENCH_SIZES-"100000 1000000"}
  SMALL_TASKS=1000
fi
[ "$ONLY" = postgres ] && SIZES=""
RECTIFYD=$BUILD/services/rectifyd/rectifyd
BENCH=$BUILD/tests/rectify-bench
SEED=$BUILD/tests/rectify-seed
for b in "$RECTIFYD" "$BENCH" "$SEED"; do
  [ -x "$b" ] || { echo "bench.sh: $b is missing: ninja -C $BUILD rectifyd rectify-bench rectify-seed" >&2; exit 2; }
done
PG_BIN=${RECTIFY_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_SERVER=$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)/pg_server.sh
PG_OK=1
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/psql" ] || PG_OK=0
if [ "$PG_OK" = 0 ] && [ "$ONLY" = postgres ]; then
  echo "bench.sh: BENCH_ONLY=postgres needs PostgreSQL 15 in $PG_BIN (deploy/install-deps.sh)" >&2
  exit 2
fi
WORK=$(mktemp -d)
PID=""
PG_DIR=""
PG_PIDS=()
PG_ADDRS=()
RESULTS=$WORK/results.jsonl
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  local p
  for p in "${PG_PIDS[@]}"; do
    [ -n "$p" ] && { kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
  done
  [ -n "$PG_DIR" ] && { bash "$PG_SERVER" stop "$PG_DIR" 2>/dev/null || true; }
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
if [ -z "$ONLY" ]; then
  for c in 1 8 64 256; do bench "baseline health" --mode health --concurrency "$c" --seconds "$SECS"; done
fi
for c in 1 8 64 256; do
  bench "progress, group commit" --mode progress --concurrency "$c" --seconds "$SECS" \
    --tasks "1-$SMALL_TASKS" --run-id "g$c"
done
if [ -z "$ONLY" ]; then
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
fi
stop

# --- write path: commits per acknowledged write, bytes per report, memory over a long run ------
# rectifyd prints "N writes in M commits, S synced" when it stops (group commit's own counters;
# S: the commits that wrote, one fsync each), so each level runs on a server of its own; the
# server's own transactions (the scheduler's passes) count too.
if [ -z "$ONLY" ]; then
  for c in 1 8 64 256; do
    start "$WORK/small/ledger.db"
    line=$("$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode progress --concurrency "$c" \
      --seconds "$SECS" --tasks "1-$SMALL_TASKS" --run-id "f$c")
    stop
    counts=$(grep -o '[0-9]* writes in [0-9]* commits, [0-9]* synced' "$WORK/server.log" | tail -1)
    read -r writes commits synced <<<"$(echo "$counts" | tr -cs '0-9' ' ')"
    emit "${line%\}},\"server_writes\":${writes:-0},\"commits\":${commits:-0},\"synced\":${synced:-0}}" "commits per write"
  done
  # Storage: the database's pages in use (page_count - freelist_count, so that reused free pages
  # do not hide growth; a reader sees the pages still in the WAL too) and each table's and index's
  # share (dbstat), before and after the longest write run: durable progress reports with
  # 30-character texts at 64 in flight. rectifyd's resident memory at that run's start, middle and
  # end (its page caches fill in the first part; "flat" is the second half).
  pages() {  # pages DB OUT: JSON {"used": bytes, "objects": {name: bytes}}
    python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
page = db.execute("PRAGMA page_size").fetchone()[0]
used = (db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]) * page
try:
    objects = dict(db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall())
except sqlite3.Error:
    objects = {}
json.dump({"used": used, "objects": objects}, open(sys.argv[2], "w"))
PY
  }
  LONG=$((SECS * 5))
  start "$WORK/small/ledger.db"
  warm_up
  pages "$WORK/small/ledger.db" "$WORK/pages0.json"
  rss0=$(kib VmRSS)
  "$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode progress --concurrency 64 \
    --seconds "$LONG" --tasks "1-$SMALL_TASKS" --text_chars 30 --run-id long >"$WORK/long.json" &
  long_pid=$!
  sleep "$(python3 -c "print($LONG / 2)")"
  rss_mid=$(kib VmRSS)
  wait "$long_pid"
  line=$(cat "$WORK/long.json")
  rss1=$(kib VmRSS)
  pages "$WORK/small/ledger.db" "$WORK/pages1.json"
  stop
  growth=$(python3 - "$WORK/pages0.json" "$WORK/pages1.json" "$line" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n = max(json.loads(sys.argv[3])["calls"], 1)
share = {k: round((v - a["objects"].get(k, 0)) / n, 1) for k, v in b["objects"].items()
         if v != a["objects"].get(k, 0)}
print(json.dumps({"bytes_per_report": round((b["used"] - a["used"]) / n, 1),
                  "by_object": dict(sorted(share.items(), key=lambda kv: -kv[1]))})[1:-1])
PY
  )
  emit "${line%\}},$growth,\"rss_start_mib\":$((rss0 / 1024)),\"rss_mid_mib\":$((rss_mid / 1024)),\"rss_end_mib\":$((rss1 / 1024))}" "storage per report"
fi

# --- 3c. PostgreSQL: durable progress reports on 1 and 3 nodes sharing one database ------------
# A private PostgreSQL 15 made as durable as SQLite's synchronous=FULL: pg_server.sh turns fsync,
# synchronous_commit and full_page_writes off (a throwaway test server); they go on again here
# (ALTER SYSTEM and a reload: all three take effect without a restart). One database; tasks made
# over RPC (rectify-bench --mode seed: rectify-seed writes SQLite files only). Then the same
# closed-loop progress reports as "progress, group commit": through one node, then through three
# nodes on the same database with the calls spread evenly over them (rectify-bench --server
# A,B,C: each channel to one node, the channels in turn). Node 1 is restarted for the 3-node
# part, so that every node's "N writes in M commits" (printed when it stops) covers one part
# only: the 3-node counts show the spread. Every node writes under one cluster-wide advisory lock.
pg_node_start() {  # pg_node_start N: rectifyd node N on PG_DB; sets PG_PIDS[N], PG_ADDRS[N]
  local n=$1 port_file=$WORK/pg_node$1.port
  rm -f "$port_file"
  "$RECTIFYD" --db "$PG_DB" --listen 127.0.0.1:0 --port_file "$port_file" \
    --admin_token_file "$WORK/pg_admin.token" 2>>"$WORK/pg_node$n.log" &
  PG_PIDS[n]=$!
  # The first start creates the schema: allow it some time on a busy machine.
  for _ in $(seq 3000); do
    [ -s "$port_file" ] && break
    kill -0 "${PG_PIDS[$n]}" 2>/dev/null || break
    sleep 0.01
  done
  [ -s "$port_file" ] || { echo "bench.sh: rectifyd node $n on PostgreSQL did not start:" >&2; tail "$WORK/pg_node$n.log" >&2; exit 1; }
  PG_ADDRS[n]=127.0.0.1:$(cat "$port_file")
}

pg_node_stop() {  # pg_node_stop N: SIGTERM, wait; then PG_COUNTS = its "writes commits synced"
  local n=$1
  kill "${PG_PIDS[$n]}" 2>/dev/null || true
  wait "${PG_PIDS[$n]}" 2>/dev/null || true
  PG_PIDS[n]=""
  PG_COUNTS=$(grep -o '[0-9]* writes in [0-9]* commits, [0-9]* synced' "$WORK/pg_node$n.log" |
    tail -1 | tr -cs '0-9' ' ' || true)
}

pg_warm_up() {  # a second of writes, unrecorded (new connections, PostgreSQL's caches, the WAL)
  "$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode progress --concurrency 64 --seconds 1 \
    --tasks "$PG_TASKS" --run-id "pgwarm$RANDOM" >/dev/null
}

pg_sql() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

pg_counts() {  # pg_counts NODES LABEL N...: one JSON line with the stopped nodes' write counts
  local nodes=$1 label=$2 n w c s writes=() commits=() synced=()
  shift 2
  for n in "$@"; do
    pg_node_stop "$n"
    read -r w c s <<<"$PG_COUNTS"
    writes+=("${w:-0}") commits+=("${c:-0}") synced+=("${s:-0}")
  done
  emit "{\"nodes\":$nodes,\"node_writes\":[$(IFS=,; echo "${writes[*]}")],\"node_commits\":[$(IFS=,; echo "${commits[*]}")],\"node_synced\":[$(IFS=,; echo "${synced[*]}")]}" "$label"
}

if [ "$PG_OK" = 1 ]; then
  echo "-- PostgreSQL: starting a private server (tests/support/pg_server.sh) --" >&2
  pg_t0=$(date +%s)
  chmod 0711 "$WORK"  # as root the server runs as postgres, which must pass through $WORK
  PG_DIR=$WORK/pg
  pg_conninfo=$(bash "$PG_SERVER" start "$PG_DIR" 2>>"$WORK/pg_server.log") ||
    { echo "bench.sh: PostgreSQL did not start:" >&2; tail "$WORK/pg_server.log" >&2; exit 1; }
  pg_sql -d "$pg_conninfo" -c "ALTER SYSTEM SET fsync = on" \
    -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" \
    -c "SELECT pg_reload_conf()" -c "CREATE DATABASE bench" >/dev/null
  PG_DB=${pg_conninfo/dbname=postgres/dbname=bench}
  # The reload is a signal: new sessions see the settings once the postmaster has read them.
  pg_settings=""
  for _ in $(seq 100); do
    pg_settings=$(pg_sql -d "$PG_DB" -F ' ' -c "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('wal_sync_method'), current_setting('shared_buffers'), current_setting('server_version')")
    [[ $pg_settings == "on on on "* ]] && break
    sleep 0.1
  done
  [[ $pg_settings == "on on on "* ]] ||
    { echo "bench.sh: PostgreSQL kept fsync/synchronous_commit/full_page_writes at: $pg_settings" >&2; exit 1; }
  read -r fsync_ sync_ fpw_ wal_sync_ shared_ version_ <<<"$pg_settings"
  emit "{\"fsync\":\"$fsync_\",\"synchronous_commit\":\"$sync_\",\"full_page_writes\":\"$fpw_\",\"wal_sync_method\":\"$wal_sync_\",\"shared_buffers\":\"$shared_\",\"server_version\":\"$version_\"}" "postgres settings"

  pg_node_start 1
  TOKEN_ARGS=(--token_file "$WORK/pg_admin.token")
  SERVER=${PG_ADDRS[1]}
  seed_line=$("$BENCH" --server "$SERVER" "${TOKEN_ARGS[@]}" --mode seed --calls "$SMALL_TASKS" \
    --concurrency 8 --unit 1 --run-id pgseed)
  emit "$seed_line" "seed postgres"
  PG_TASKS=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%d-%d" % (d["first_task"], d["last_task"]))' "$seed_line")
  pg_warm_up
  for c in 1 8 64; do
    bench "progress, PostgreSQL, 1 node" --mode progress --concurrency "$c" --seconds "$SECS" \
      --tasks "$PG_TASKS" --run-id "pg1n$c"
  done
  pg_counts 1 "postgres writes per node" 1

  for n in 1 2 3; do pg_node_start "$n"; done
  SERVER="${PG_ADDRS[1]},${PG_ADDRS[2]},${PG_ADDRS[3]}"
  pg_warm_up
  for c in 1 8 64; do
    bench "progress, PostgreSQL, 3 nodes" --mode progress --concurrency "$c" --seconds "$SECS" \
      --tasks "$PG_TASKS" --run-id "pg3n$c"
  done
  pg_counts 3 "postgres writes per node" 1 2 3
  bash "$PG_SERVER" stop "$PG_DIR" 2>>"$WORK/pg_server.log"
  PG_DIR=""
  echo "-- PostgreSQL section: $(( $(date +%s) - pg_t0 )) s --" >&2
else
  echo "bench.sh: no PostgreSQL 15 in $PG_BIN: the PostgreSQL figures are skipped" >&2
fi

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
    if label == "seed postgres":
        print(f"{label:32} {r['tasks']:>18} {r['rate']:>11.1f} {'':>9} {'':>9} {'':>7}  tasks created over RPC (CreateTask), ids {r['first_task']}-{r['last_task']}")
    elif label == "postgres settings":
        print(f"{label:32} {'':>18} {'':>11} {'':>9} {'':>9} {'':>7}  fsync {r['fsync']}, synchronous_commit {r['synchronous_commit']}, full_page_writes {r['full_page_writes']}, wal_sync_method {r['wal_sync_method']}, shared_buffers {r['shared_buffers']}; {r['server_version']}")
    elif label == "postgres writes per node":
        w, c = r["node_writes"], r["node_commits"]
        print(f"{label:32} {r['nodes']:>18} {'':>11} {'':>9} {'':>9} {'':>7}  writes {' / '.join(map(str, w))} in commits {' / '.join(map(str, c))}"
              f" = {sum(w) / max(sum(c), 1):.1f} writes a commit (warm-up and 1, 8, 64 in flight together)")
    elif "rate" in r and "concurrency" in r and label not in ("commits per write", "storage per report"):
        extra = f" (offered {r['offered_rate']:.0f}/s)" if r.get("offered_rate") else ""
        print(f"{label:32} {r['concurrency']:>18} {r['rate']:>11.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['errors']:>7}{extra}")
    elif label == "commits per write":
        print(f"{label:32} {r['concurrency']:>18} {r['rate']:>11.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['errors']:>7}  {r['synced']} synced commits ({r['commits']} in all) for {r['calls']} acknowledged writes = {r['synced'] / max(r['calls'], 1):.3f} per write")
        continue
    elif label == "storage per report":
        print(f"{label:32} {r['concurrency']:>18} {r['rate']:>11.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['errors']:>7}  {r['bytes_per_report']:.0f} B/report over {r['calls']} reports; RSS {r['rss_start_mib']} -> {r['rss_mid_mib']} -> {r['rss_end_mib']} MiB")
        print(f"{'':32} by table/index (B/report): " + ", ".join(f"{k} {v:.0f}" for k, v in r["by_object"].items()))
        continue
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
PG_LABELS = ("progress, group commit", "progress, PostgreSQL, 1 node", "progress, PostgreSQL, 3 nodes")
if any(sel(l) for l in PG_LABELS[1:]):
    print()
    print("durable progress reports/s (p50 ms), SQLite beside PostgreSQL:")
    print(f"{'in flight':>9} {'SQLite, group commit':>22} {'PostgreSQL, 1 node':>22} {'PostgreSQL, 3 nodes':>22}")
    for c in (1, 8, 64):
        cells = []
        for l in PG_LABELS:
            x = sel(l, concurrency=c)
            cells.append(f"{x[0]['rate']:.0f} ({x[0]['p50_ms']:.1f})" if x else "-")
        print(f"{c:>9} {cells[0]:>22} {cells[1]:>22} {cells[2]:>22}")
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
if base and group:
    target("durable progress reports >= 1/2 of the no-op baseline", group["rate"] >= base["rate"] / 2,
           f"peak {group['rate']:.0f}/s (at {group['concurrency']} in flight) vs baseline {base['rate']:.0f}/s (at {base['concurrency']})")
# Informational: on a fast disk the gain is bounded by CPU, not fsync; the target is now commits
# per write at 64 in flight (below).
if group and single:
    target("group commit vs one transaction per write", None,
           f"{group['rate']:.0f}/s vs {single['rate']:.0f}/s = {group['rate'] / max(single['rate'], 1e-9):.1f}x")
# PostgreSQL: no target in the issue; the ratio to SQLite at 64 in flight, for information.
lite = sel("progress, group commit", concurrency=64)
for l in PG_LABELS[1:]:
    pg = sel(l, concurrency=64)
    if lite and pg:
        target(f"{l} vs SQLite at 64 in flight", None,
               f"{pg[0]['rate']:.0f}/s (p50 {pg[0]['p50_ms']:.1f} ms, p99 {pg[0]['p99_ms']:.1f} ms, {pg[0]['errors']} errors) "
               f"vs {lite[0]['rate']:.0f}/s = {pg[0]['rate'] / max(lite[0]['rate'], 1e-9):.2f}x")
for c in (1, 8, 64):
    g, h = sel("progress, group commit", concurrency=c), sel("progress over HTTP/JSON", concurrency=c)
    if g and h:
        g, h = g[0], h[0]
        target(f"HTTP/JSON progress reports >= 1/2 of gRPC at {c} in flight",
               h["rate"] >= g["rate"] / 2 and h["errors"] == 0,
               f"{h['rate']:.0f}/s (p50 {h['p50_ms']:.2f} ms) vs gRPC {g['rate']:.0f}/s (p50 {g['p50_ms']:.2f} ms)"
               f" = {h['rate'] / max(g['rate'], 1e-9):.2f}x")
for r in sel("commits per write"):
    per = r["synced"] / max(r["calls"], 1)
    detail = (f"{r['synced']} synced commits for {r['calls']} acknowledged writes = {per:.3f} per write "
              f"({1 / max(per, 1e-9):.1f} writes a commit; {r['commits']} transactions in all)")
    if r["concurrency"] == 64:
        target("group commit: at most 1 commit per 8 writes at 64 in flight", per <= 1 / 8 and r["calls"] > 0, detail)
    else:
        target(f"commits (fsyncs) per acknowledged write at {r['concurrency']} in flight", None, detail)
st = sel("storage per report")
if st:
    st = st[0]
    target("storage: at most 1 KB of database growth per durable progress report (30-character text)",
           st["bytes_per_report"] <= 1024 and st["calls"] > 0,
           f"{st['bytes_per_report']:.0f} B/report over {st['calls']} reports; "
           + ", ".join(f"{k} {v:.0f}" for k, v in list(st["by_object"].items())[:6]))
    growth = st["rss_end_mib"] - st["rss_mid_mib"]
    target("rectifyd resident memory flat over the longest write run (second half grows <= 8 MiB)", growth <= 8,
           f"{st['rss_start_mib']} MiB at its start, {st['rss_mid_mib']} MiB halfway, {st['rss_end_mib']} MiB at its end "
           f"({growth:+d} MiB in the second half; {st['calls']} reports in {st['seconds']:.0f} s; page caches up to 48 MiB fill first)")
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
