# Sourced by the crash tests: start_rectifyd [FLAG...] starts $RECTIFYD on the database $DB with
# the extra flags, on $PORT (0 the first time: a free one, kept for the restarts), logging to
# $WORK/rectifyd.log, and waits until it listens. Sets SERVER_PID and PORT, and exports
# RECTIFY_TOKEN from the admin token the first start wrote beside the database. Calls `fail`
# (the sourcing script's) when rectifyd does not come up.
start_rectifyd() {
  local tries
  for tries in $(seq 1 50); do
    rm -f "$WORK/port"
    "$RECTIFYD" --db "$DB" --listen "127.0.0.1:${PORT}" --port_file "$WORK/port" "$@" \
      2>>"$WORK/rectifyd.log" &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
      [ -s "$WORK/port" ] && break
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.02
    done
    if [ -s "$WORK/port" ]; then
      PORT=$(cat "$WORK/port")
      if [ -f "$WORK/rectify-admin.token" ]; then
        RECTIFY_TOKEN=$(cat "$WORK/rectify-admin.token")
        export RECTIFY_TOKEN
      fi
      return 0
    fi
    # The old socket may linger for a moment after a kill: try again.
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    sleep 0.1
  done
  fail "rectifyd did not start (see $WORK/rectifyd.log)"
}
