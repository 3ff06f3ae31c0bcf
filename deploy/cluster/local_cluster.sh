#!/usr/bin/env bash
# 本机试用多节点 / A local cluster for trying Rectify on PostgreSQL: a PostgreSQL 15 server in a
# temporary directory (tests/support/pg_server.sh: initdb as the postgres user when run as root),
# three rectifyd nodes on one database of it, and, when haproxy is installed, haproxy in front of
# them as one gRPC address (deploy/cluster/haproxy.cfg). Prints the addresses and how to point the
# client at them (rectify --server A,B,C, or haproxy's one address), then waits; Ctrl-C (or SIGTERM) stops everything and removes the directory.
# Everything listens on 127.0.0.1 only.
#
# Usage: deploy/cluster/local_cluster.sh [RECTIFYD] [options]
#   RECTIFYD              the server binary (default ./build/services/rectifyd/rectifyd)
#   --nodes N             nodes to start (default 3)
#   --base-port P         node i listens on P+i-1 (default 50051); 0 picks free ports
#   --lb-port P           haproxy's port (default 50050)
#   --no-haproxy          do not start haproxy even when it is installed
#   --dir DIR             where to keep everything (default a new temporary directory)
#   -- FLAG...            more flags for every node (e.g. -- --time_zone Asia/Shanghai)
# Environment: RECTIFY_HEALTH_PROBE, the health probe haproxy's check runs (default
# ./build/tests/cluster/health_probe); RECTIFY_PG_BIN, the PostgreSQL 15 binaries.
# The nodes log to DIR/nodeN.log; the admin token of the first start is DIR/admin.token.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_SERVER=$ROOT/tests/support/pg_server.sh
PG_BIN="${RECTIFY_PG_BIN:-/usr/lib/postgresql/15/bin}"
RECTIFYD=$ROOT/build/services/rectifyd/rectifyd
RECTIFY=$ROOT/build/client/rectify
# haproxy's health check asks each node's grpc.health.v1 with tests/cluster/health_probe.cc.
PROBE=${RECTIFY_HEALTH_PROBE:-$ROOT/build/tests/cluster/health_probe}
NODES=3 BASE_PORT=50051 LB_PORT=50050 HAPROXY=auto DIR="" EXTRA=()

say() { echo "local_cluster: $*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --base-port) BASE_PORT=$2; shift 2 ;;
    --lb-port) LB_PORT=$2; shift 2 ;;
    --no-haproxy) HAPROXY=no; shift ;;
    --dir) DIR=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "未知选项 / unknown option $1 (--help)" ;;
    *) RECTIFYD=$1; shift ;;
  esac
done
[[ "$NODES" =~ ^[1-9]$ ]] || die "--nodes 须为 1 到 9 / must be 1-9"
[[ "$BASE_PORT" =~ ^[0-9]+$ && "$LB_PORT" =~ ^[0-9]+$ ]] || die "端口须为数字 / ports must be numbers"
# From a fresh machine: the packages (PostgreSQL 15 among them) and the build, as deploy/serve.sh
# does, when the default binary is not there yet.
if [ "$RECTIFYD" = "$ROOT/build/services/rectifyd/rectifyd" ] && [ ! -x "$RECTIFYD" ]; then
  say "安装依赖并构建 / installing what is missing and building (first time: about a quarter of an hour)"
  bash "$ROOT/deploy/install-deps.sh" >&2
  bash "$ROOT/deploy/build.sh" >&2
fi
[ -x "$RECTIFYD" ] || die "找不到 rectifyd / rectifyd not found: $RECTIFYD（先构建 / build first: bash deploy/build.sh）"
[ -f "$PG_SERVER" ] || die "找不到 / not found: $PG_SERVER"
[ -x "$PG_BIN/psql" ] || die "找不到 PostgreSQL 15，请先运行 deploy/install-deps.sh / PostgreSQL 15 not found ($PG_BIN), run deploy/install-deps.sh"
if [ "$HAPROXY" = auto ]; then
  if command -v haproxy >/dev/null 2>&1; then HAPROXY=yes; else HAPROXY=no; fi
fi

if [ -z "$DIR" ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/rectify-local-cluster.XXXXXX")
else
  mkdir -p "$DIR"
  [ -z "$(ls -A "$DIR")" ] || die "目录非空 / not empty: $DIR"
  DIR=$(cd "$DIR" && pwd)
fi
# PostgreSQL runs as the postgres user when we are root: it must pass through DIR.
chmod 0711 "$DIR"
PG_DIR=$DIR/pg
declare -a PIDS=()
HAPROXY_PID=""

stop_all() {
  local pid
  trap - EXIT INT TERM
  say "正在停止 / stopping"
  [ -n "$HAPROXY_PID" ] && kill -TERM "$HAPROXY_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}" $HAPROXY_PID; do wait "$pid" 2>/dev/null || true; done
  bash "$PG_SERVER" stop "$PG_DIR" 2>/dev/null || true
  rm -rf "$DIR"
  say "已停止并删除 / stopped, removed $DIR"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

conninfo=$(bash "$PG_SERVER" start "$PG_DIR" 2>"$DIR/pg_server.log") || {
  cat "$DIR/pg_server.log" >&2
  die "PostgreSQL 启动失败 / PostgreSQL did not start"
}
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$conninfo" -c "CREATE DATABASE rectify" >/dev/null
PG_PORT=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$conninfo")
DB="postgresql://postgres@127.0.0.1:$PG_PORT/rectify"
say "PostgreSQL 15: $DB（数据目录 / data in $PG_DIR/data）"

ADDRS=()
for n in $(seq 1 "$NODES"); do
  port=0
  [ "$BASE_PORT" = 0 ] || port=$((BASE_PORT + n - 1))
  rm -f "$DIR/node$n.port"
  "$RECTIFYD" --db "$DB" --listen "127.0.0.1:$port" --port_file "$DIR/node$n.port" \
    --admin_token_file "$DIR/admin.token" "${EXTRA[@]}" 2>>"$DIR/node$n.log" &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    [ -s "$DIR/node$n.port" ] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$DIR/node$n.port" ] || { tail -n 5 "$DIR/node$n.log" >&2; die "节点 $n 未能启动 / node $n did not start ($DIR/node$n.log)"; }
  ADDRS+=("127.0.0.1:$(cat "$DIR/node$n.port")")
done

LB=""
if [ "$HAPROXY" = yes ]; then
  # The check finds the probe on this PATH (as health_probe or rectify-health-probe).
  mkdir -p "$DIR/bin"
  if [ -x "$PROBE" ]; then
    ln -s "$PROBE" "$DIR/bin/health_probe"
  elif ! command -v rectify-health-probe >/dev/null 2>&1; then
    say "没有健康检查探针（ninja -C build health_probe，或设 RECTIFY_HEALTH_PROBE）：haproxy 会把节点都判为下线 / no health probe (ninja -C build health_probe, or set RECTIFY_HEALTH_PROBE): haproxy will mark every node down"
  fi
  export RECTIFY_PROBE_PATH="$DIR/bin:/usr/local/bin:/usr/bin:/bin"
  export RECTIFY_HEALTH_CHECK="$HERE/rectify-health-check"
  export RECTIFY_LB="127.0.0.1:$LB_PORT"
  for n in 1 2 3; do
    # haproxy.cfg has three servers: with fewer nodes the others point at the first.
    if [ "$n" -le "$NODES" ]; then export "RECTIFY_NODE$n=${ADDRS[$((n - 1))]}"; else export "RECTIFY_NODE$n=${ADDRS[0]}"; fi
  done
  haproxy -f "$HERE/haproxy.cfg" -db 2>"$DIR/haproxy.log" &
  HAPROXY_PID=$!
  sleep 0.5
  if kill -0 "$HAPROXY_PID" 2>/dev/null; then
    LB=$RECTIFY_LB
  else
    say "haproxy 未能启动（见 $DIR/haproxy.log）/ haproxy did not start:"
    tail -n 5 "$DIR/haproxy.log" >&2
    HAPROXY_PID=""
  fi
fi

leader=""
for n in $(seq 1 "$NODES"); do
  if grep -q "this node is the leader now" "$DIR/node$n.log"; then leader=$n; fi
done
client=$RECTIFY
[ -x "$client" ] || client=rectify
cat <<EOF

本机集群已启动 / The local cluster is up: $NODES rectifyd nodes on one PostgreSQL database.
  PostgreSQL:  $DB
$(for n in $(seq 1 "$NODES"); do printf '  节点 / node %d: %s  (log %s)%s\n' "$n" "${ADDRS[$((n - 1))]}" "$DIR/node$n.log" "$([ "$n" = "$leader" ] && echo '  ← 主节点 / leader')"; done)
$([ -n "$LB" ] && printf '  haproxy:    %s  (gRPC, round robin over the nodes, health-checked; log %s)\n' "$LB" "$DIR/haproxy.log")

客户端 / client (the admin token of the first start):
  export RECTIFY_TOKEN=\$(cat $DIR/admin.token)
  $client --server $(IFS=,; echo "${ADDRS[*]}") task list
rectify 的 --server 可写多个地址（逗号分隔），调用在可用的节点间轮询，某节点停掉时自动用其余节点；
也可只连一个节点 / --server takes several addresses (comma-separated): calls go round robin over
the nodes that are up. One node alone:
$(for n in $(seq 1 "$NODES"); do printf '  %s --server %s whoami\n' "$client" "${ADDRS[$((n - 1))]}"; done)
$([ -n "$LB" ] && printf '  %s --server %s task list     # 经 haproxy 一个地址 / one address, through haproxy\n' "$client" "$LB")

试一试 / try: kill -9 the leader's pid and watch another node log "this node is the leader now":
$(for n in $(seq 1 "$NODES"); do printf '  node %d: pid %s\n' "$n" "${PIDS[$((n - 1))]}"; done)
  tail -f $DIR/node*.log

按 Ctrl-C 停止全部并删除 $DIR / Ctrl-C stops everything and removes $DIR
EOF

# Wait until interrupted; a node that dies is reported, the rest keep running.
declare -A reported=()
while true; do
  for i in "${!PIDS[@]}"; do
    if [ -z "${reported[$i]:-}" ] && ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      say "节点 $((i + 1)) 已退出 / node $((i + 1)) exited (see $DIR/node$((i + 1)).log)"
      reported[$i]=1
    fi
  done
  sleep 1
done
