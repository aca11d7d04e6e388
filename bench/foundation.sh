#!/usr/bin/env bash
# Foundation: /healthz against the logged-in dashboard, at 64 and 256 connections.
# Targets: dashboard >= 30% of /healthz throughput; dashboard p99 <= 10 ms at 64 and
# <= 25 ms at 256 connections; peak RSS <= 64 MB.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_database
db=$BENCH_DB
echo "engine: $(bench_setup)"
"$GIDS" demo --db "$db" >/dev/null
start_server "$db" ${WORKERS:+--workers "$WORKERS"}
cookie=$(login coordinator@demo.gids.nl demo-coordinator-2026)
[ -n "$cookie" ] || { echo "login failed"; exit 1; }
dash=/gemeenten/1
curl -sf -b "gids_session=$cookie" -o /dev/null "$BENCH_URL$dash" || { echo "dashboard failed"; exit 1; }

printf '%-12s %-6s %12s %10s %8s\n' endpoint conns "req/s" "p99 ms" "non-2xx"
for conns in 64 256; do
  read -r h_rps h_p99 h_err < <(wrk_run "$conns" /healthz)
  read -r d_rps d_p99 d_err < <(wrk_run "$conns" "$dash" "$cookie")
  printf '%-12s %-6s %12s %10s %8s\n' /healthz "$conns" "$h_rps" "$h_p99" "$h_err"
  printf '%-12s %-6s %12s %10s %8s\n' dashboard "$conns" "$d_rps" "$d_p99" "$d_err"
  awk -v d="$d_rps" -v h="$h_rps" -v c="$conns" 'BEGIN { printf "ratio dashboard/healthz at %s: %.0f%%\n", c, 100 * d / h }'
done
echo "peak RSS: $(peak_rss_mb) MB"
