# Shared helpers for the benchmarks: start the release server, log in, run wrk, read RSS.
# Sourced by the bench scripts; every figure is printed, nothing is asserted.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GIDS=${GIDS_BIN:-$BENCH_ROOT/build/release/gids}
BENCH_DIR=$(mktemp -d /tmp/gids-bench.XXXXXX)
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_URL=http://127.0.0.1:$BENCH_PORT
SERVER_PID=

bench_cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$BENCH_DIR"
}
trap bench_cleanup EXIT

# start_server DB_URL [extra serve args...]
start_server() {
  local db=$1; shift
  "$GIDS" serve --db "$db" --listen "127.0.0.1:$BENCH_PORT" --root "$BENCH_ROOT" "$@" \
    > "$BENCH_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "$BENCH_URL/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$BENCH_DIR/server.log"; exit 1
}

# login EMAIL PASSWORD -> prints the session cookie value
login() {
  local jar=$BENCH_DIR/cookies.txt token
  rm -f "$jar"
  token=$(curl -s -c "$jar" "$BENCH_URL/inloggen" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=$2" "$BENCH_URL/inloggen"
  awk '$6 == "gids_session" { print $7 }' "$jar"
}

# wrk_run CONNECTIONS PATH [COOKIE] -> prints "REQS_PER_SEC P99_MS"
wrk_run() {
  local conns=$1 path=$2 cookie=${3:-} out
  local args=(-t2 -c"$conns" -d"${BENCH_SECONDS:-8}s" --latency)
  [ -n "$cookie" ] && args+=(-H "Cookie: gids_session=$cookie")
  out=$(wrk "${args[@]}" "$BENCH_URL$path" 2>&1)
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  errors=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  echo "$rps $(to_ms "$p99") ${errors:-0}"
}

to_ms() { # wrk prints 1.23ms, 456.00us or 1.20s
  local v=$1
  case "$v" in
    *ms) echo "${v%ms}" ;;
    *us) awk -v x="${v%us}" 'BEGIN { printf "%.3f", x / 1000 }' ;;
    *s) awk -v x="${v%s}" 'BEGIN { printf "%.1f", x * 1000 }' ;;
    *) echo "?" ;;
  esac
}

peak_rss_mb() {
  awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}
