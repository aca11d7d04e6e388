# Shared helpers for the benchmarks: a fresh database, start the release server, log in,
# run wrk, read RSS. Sourced by the bench scripts; every figure is printed, nothing is
# asserted.
#
# BENCH_ENGINE=postgresql runs on a PostgreSQL cluster of its own (tests/pg/cluster.sh, with
# fsync on, as deployed) instead of a SQLite file; BENCH_INSTANCES=2 starts two `gids serve`
# on that one database and gives each half of the connections, from a wrk of its own.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GIDS=${GIDS_BIN:-$BENCH_ROOT/build/release/gids}
BENCH_DIR=$(mktemp -d /tmp/gids-bench.XXXXXX)
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_URL=http://127.0.0.1:$BENCH_PORT
BENCH_ENGINE=${BENCH_ENGINE:-sqlite}
BENCH_INSTANCES=${BENCH_INSTANCES:-1}
SERVER_PID=
SERVER_PIDS=()
PG_DIR=

bench_cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  [ -n "$PG_DIR" ] && "$BENCH_ROOT/tests/pg/cluster.sh" stop "$PG_DIR"
  rm -rf "$BENCH_DIR"
}
trap bench_cleanup EXIT

# The engine and instances of this run, for the figures' headings.
bench_setup() {
  if [ "$BENCH_ENGINE" = postgresql ]; then
    echo "PostgreSQL, $BENCH_INSTANCES instance(s)"
  else
    echo "SQLite, $BENCH_INSTANCES instance(s)"
  fi
}

# bench_database: BENCH_DB becomes the URL of a fresh, empty database of BENCH_ENGINE.
bench_database() {
  if [ "$BENCH_ENGINE" != postgresql ]; then
    BENCH_DB="sqlite:$BENCH_DIR/bench.db"
    return
  fi
  if [ -z "$PG_DIR" ]; then
    PG_DIR=$(mktemp -d /tmp/gids-bench-pg.XXXXXX) # the postgres user must reach it
    eval "$("$BENCH_ROOT/tests/pg/cluster.sh" start "$PG_DIR")"
  fi
  psql -h "$GIDS_PG_HOST" -p "$GIDS_PG_PORT" -U gids -d postgres -qc "CREATE DATABASE bench" >/dev/null
  BENCH_DB="postgresql://gids@/bench?host=${GIDS_PG_HOST//\//%2F}&port=$GIDS_PG_PORT"
}

# start_server DB_URL [extra serve args...]: BENCH_INSTANCES servers on BENCH_PORT and the
# ports after it. SERVER_PID is the first.
start_server() {
  local db=$1; shift
  local i port
  for ((i = 0; i < BENCH_INSTANCES; i++)); do
    port=$((BENCH_PORT + i))
    "$GIDS" serve --db "$db" --listen "127.0.0.1:$port" --root "$BENCH_ROOT" "$@" \
      > "$BENCH_DIR/server-$i.log" 2>&1 &
    SERVER_PIDS+=($!)
    local up=0
    for _ in $(seq 1 100); do
      if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then up=1; break; fi
      sleep 0.1
    done
    [ "$up" -eq 1 ] || { echo "server did not start"; cat "$BENCH_DIR/server-$i.log"; exit 1; }
  done
  SERVER_PID=${SERVER_PIDS[0]}
}

# wrk_all CONNECTIONS URL_PATH [wrk options...] -> the raw outputs of one wrk per instance,
# each with its share of the connections, run at the same time; "=== wrk" between them.
wrk_all() {
  local conns=$1 path=$2; shift 2
  local i share=$(( conns / BENCH_INSTANCES )) threads=$(( BENCH_INSTANCES > 1 ? 1 : 2 ))
  local pids=()
  for ((i = 0; i < BENCH_INSTANCES; i++)); do
    wrk -t"$threads" -c"$share" -d"${BENCH_SECONDS:-8}s" --latency "$@" \
      "http://127.0.0.1:$((BENCH_PORT + i))$path" > "$BENCH_DIR/wrk-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  for ((i = 0; i < BENCH_INSTANCES; i++)); do
    echo "=== wrk $i"; cat "$BENCH_DIR/wrk-$i.out"
  done
}

# wrk_summary: reads wrk_all's output -> "REQS_PER_SEC P99_MS NON2XX": summed over the
# instances, the p99 the worst of them.
wrk_summary() {
  awk '
    /Requests\/sec/ { rps += $2 }
    $1 == "99%" { v = $2; ms = v;
      if (v ~ /ms$/) { sub(/ms$/, "", ms) } else if (v ~ /us$/) { sub(/us$/, "", ms); ms /= 1000 }
      else if (v ~ /s$/) { sub(/s$/, "", ms); ms *= 1000 }
      if (ms + 0 > p99) p99 = ms + 0 }
    /Non-2xx/ { errors += $NF }
    END { printf "%.2f %.2f %d\n", rps, p99, errors }'
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
  local conns=$1 path=$2 cookie=${3:-}
  local args=()
  [ -n "$cookie" ] && args+=(-H "Cookie: gids_session=$cookie")
  wrk_all "$conns" "$path" "${args[@]}" | wrk_summary
}

peak_rss_mb() { # the largest of the instances
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    awk '/VmHWM/ { printf "%.1f\n", $2 / 1024 }' "/proc/$pid/status"
  done | sort -n | tail -1
}
