#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests, on 127.0.0.1 only, with everything in one directory.
#
#   pg_server.sh start DIR [PORT]   initdb into DIR/data (trust authentication, user postgres,
#                                   UTF8, locale C) and start the server on PORT, or on a free port
#                                   it picks; waits until it accepts connections, then writes the
#                                   libpq conninfo "host=127.0.0.1 port=P user=postgres
#                                   dbname=postgres" to DIR/conninfo and prints it on stdout (the
#                                   only thing on stdout; messages go to stderr). When the server
#                                   in DIR is running already it just prints its conninfo again.
#   pg_server.sh stop DIR           stops the server (immediately: nothing in it is kept) and
#                                   removes DIR. Never fails, also when nothing is running.
#
# DIR holds data/ (the cluster), server.log, initdb.log, conninfo and the Unix socket. The server
# is made for speed, not safety: fsync, synchronous_commit and full_page_writes are off. Never
# point this at anything but a scratch directory.
#
# initdb and postgres refuse to run as root, and tests and CI run as root: then the server runs as
# the `postgres` system user (created by Debian's postgresql package) through runuser, and DIR is
# handed to that user. The binaries are taken from /usr/lib/postgresql/15/bin, or from
# $RECTIFY_PG_BIN when that is set.
set -euo pipefail

PG_BIN="${RECTIFY_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_USER=postgres
MARKER=.rectify-pg-server  # marks DIR as made by this script; stop removes only such directories

say() { echo "pg_server: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  die "用法 / usage: pg_server.sh start DIR [PORT] | pg_server.sh stop DIR"
}

# Runs a PostgreSQL program as the user the server runs as.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

# Whether something listens on 127.0.0.1:$1 (or on every address) already.
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
  elif command -v python3 >/dev/null 2>&1; then
    if python3 - "$1" <<'EOF' 2>/dev/null; then return 1; else return 0; fi
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
EOF
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Whether process $1 is a live postgres (an exited one can stay a zombie for a while when
# nothing reaps it, as under some container inits).
alive_postgres() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # /proc/PID/stat: "PID (COMM) STATE ..."
  [[ "$stat" == *"(postgres) "* && "${stat##*) }" != Z* ]]
}

# The postmaster's pid when the server in $DATA runs, else nothing.
running_pid() {
  local pid
  [ -f "$DATA/postmaster.pid" ] || return 0
  pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && alive_postgres "$pid"; then echo "$pid"; fi
}

# The port the server in $DATA listens on (the fourth line of postmaster.pid).
running_port() {
  sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true
}

wait_ready() {  # port
  local _
  for _ in $(seq 1 300); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -t 1; then return 0; fi
    sleep 0.1
  done
  return 1
}

publish() {  # port: writes DIR/conninfo and prints it
  local conninfo="host=127.0.0.1 port=$1 user=postgres dbname=postgres"
  printf '%s\n' "$conninfo" > "$DIR/conninfo.tmp"
  chmod 0644 "$DIR/conninfo.tmp"
  mv -f "$DIR/conninfo.tmp" "$DIR/conninfo"
  printf '%s\n' "$conninfo"
}

log_tail() {
  if [ -f "$1" ]; then tail -n 20 "$1" | sed 's/^/    /' >&2; fi
}

start() {
  local want_port="${1:-}" t0 pid port tries log_size ms
  t0="${EPOCHREALTIME//[!0-9]/}"
  if [ -n "$want_port" ] && ! [[ "$want_port" =~ ^[0-9]+$ && "$want_port" -ge 1 && "$want_port" -le 65535 ]]; then
    die "端口无效 / invalid port: $want_port"
  fi
  local prog
  for prog in initdb pg_ctl postgres pg_isready; do
    [ -x "$PG_BIN/$prog" ] || die "找不到 PostgreSQL 程序 $PG_BIN/$prog，请先运行 deploy/install-deps.sh / PostgreSQL program $PG_BIN/$prog not found, run deploy/install-deps.sh first"
  done
  if [ "$(id -u)" -eq 0 ]; then
    command -v runuser >/dev/null 2>&1 || die "以 root 运行需要 runuser / running as root needs runuser (util-linux)"
    id -u "$PG_USER" >/dev/null 2>&1 || die "以 root 运行需要系统用户 $PG_USER，请先运行 deploy/install-deps.sh / running as root needs the system user $PG_USER, run deploy/install-deps.sh first"
  fi
  # The directory ends up in postgresql.conf (quoted) and in a comma-separated setting.
  if [[ "$DIR" =~ [[:space:],\'\"\\] ]]; then
    die "目录名不能含空白、逗号、引号或反斜杠 / DIR must not contain whitespace, commas, quotes or backslashes: $DIR"
  fi
  # The Unix socket is DIR/.s.PGSQL.<port>; its path must fit into sockaddr_un (107 bytes).
  if [ $((${#DIR} + 16)) -gt 107 ]; then
    die "目录路径太长（Unix 套接字）/ DIR is too long for the Unix socket: $DIR"
  fi

  if [ -e "$DIR" ] && [ ! -e "$DIR/$MARKER" ] && [ -n "$(ls -A "$DIR")" ]; then
    die "目录非空且不是 pg_server.sh 创建的 / DIR is not empty and was not made by pg_server.sh: $DIR"
  fi
  mkdir -p "$DIR"
  touch "$DIR/$MARKER"
  chmod 0700 "$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_USER:" "$DIR"
    as_pg test -w "$DIR" -a -x "$DIR" ||
      die "用户 $PG_USER 无法进入 $DIR（上级目录权限？）/ user $PG_USER cannot use $DIR (permissions of a parent directory?)"
  fi
  # Programs run as postgres start in a directory that user can enter.
  cd "$DIR"

  pid="$(running_pid)"
  if [ -n "$pid" ]; then
    port="$(running_port)"
    wait_ready "$port" || die "服务器在运行但不接受连接 / the server runs but does not accept connections (see $DIR/server.log)"
    if [ -n "$want_port" ] && [ "$want_port" != "$port" ]; then
      say "已在端口 $port 运行（不是 $want_port）/ already running on port $port (not $want_port)"
    else
      say "已在运行 / already running: 127.0.0.1:$port ($DIR)"
    fi
    publish "$port"
    return 0
  fi

  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    if ! as_pg "$PG_BIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --locale=C --no-sync \
        --no-instructions > "$DIR/initdb.log" 2>&1; then
      say "initdb 失败 / initdb failed ($DIR/initdb.log):"
      log_tail "$DIR/initdb.log"
      exit 1
    fi
    cat >> "$DATA/postgresql.conf" <<EOF

# Set by tests/support/pg_server.sh: a throwaway test server, fast rather than safe.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  fi

  # A picked port can be taken between the check and the server's bind: then try the next one.
  local base=$((10000 + RANDOM % 20000))
  for tries in $(seq 0 49); do
    if [ -n "$want_port" ]; then
      port="$want_port"
    else
      port=$((base + tries))
      if port_in_use "$port"; then continue; fi
    fi
    log_size=$(stat -c %s "$DIR/server.log" 2>/dev/null || echo 0)
    if as_pg "$PG_BIN/pg_ctl" start -D "$DATA" -l "$DIR/server.log" -w -t 60 -o "-p $port" >&2; then
      if ! wait_ready "$port"; then
        say "服务器已启动但不接受连接 / the server started but does not accept connections ($DIR/server.log):"
        log_tail "$DIR/server.log"
        exit 1
      fi
      publish "$port"
      ms=$(( (${EPOCHREALTIME//[!0-9]/} - t0) / 1000 ))
      say "已启动 / started: 127.0.0.1:$port ($DIR, ${ms} ms)"
      return 0
    fi
    if [ -z "$want_port" ] && tail -c +$((log_size + 1)) "$DIR/server.log" 2>/dev/null |
        grep -q "could not bind\|could not create any TCP/IP sockets"; then
      say "端口 $port 被占用，换一个 / port $port is taken, trying another"
      continue
    fi
    say "启动失败 / could not start the server ($DIR/server.log):"
    log_tail "$DIR/server.log"
    exit 1
  done
  die "找不到空闲端口 / found no free port (tried 50 from $base)"
}

stop() {
  if [ ! -e "$DIR" ]; then
    say "未在运行 / not running: $DIR"
    return 0
  fi
  if [ ! -e "$DIR/$MARKER" ]; then
    say "不是 pg_server.sh 创建的目录，未动 / not made by pg_server.sh, left alone: $DIR"
    return 0
  fi
  local pid owner _
  pid="$(running_pid)"
  if [ -n "$pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      owner="$(stat -c %U "$DATA" 2>/dev/null || echo "$PG_USER")"
      if [ "$owner" != root ]; then PG_USER="$owner"; fi
    fi
    if [ -x "$PG_BIN/pg_ctl" ]; then
      (cd "$DIR" && as_pg "$PG_BIN/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 >/dev/null 2>&1) || true
    fi
    # Without pg_ctl, or when it did not manage: the postmaster is ours, kill it.
    if alive_postgres "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive_postgres "$pid" || break; sleep 0.1; done
    fi
    say "已停止 / stopped: $DIR"
  else
    say "未在运行 / not running: $DIR"
  fi
  rm -rf "$DIR" 2>/dev/null || say "无法删除 / could not remove $DIR"
  return 0
}

[ $# -ge 2 ] || usage
cmd="$1"
# Absolute: the socket directory in postgresql.conf is taken relative to the data directory.
DIR="$(realpath -m -- "$2")"
[ "$DIR" != / ] || die "DIR 不能是 / / DIR must not be /"
DATA="$DIR/data"
case "$cmd" in
  start)
    [ $# -le 3 ] || usage
    start "${3:-}"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    stop || true
    ;;
  *) usage ;;
esac
