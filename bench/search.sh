#!/usr/bin/env bash
# Inspiration search: 10,000 generated practice examples (`gids content generate`: the same
# tables, index and Dutch tokenizer as the real ones, paragraphs recombined from them), then
# wrk in one run against /healthz, a search that matches about a third of them
# (/inspiratie?q=schulden, answered from the page cache after the first time, as a popular
# search is), and the same search at a random page of its ~350: a page not seen before, whose
# hits are read and marked anew from the kept ranking of all matches.
# Target: search p99 <= 10 ms; throughput printed as a ratio to /healthz.
set -euo pipefail
BENCH_PORT=${BENCH_PORT:-18082} # not the foundation's port: benchmarks may run side by side
source "$(dirname "$0")/lib.sh"

count=${SEARCH_EXAMPLES:-10000}
bench_database
db=$BENCH_DB
echo "engine: $(bench_setup)"
"$GIDS" migrate --db "$db" >/dev/null
"$GIDS" content generate --count "$count" --db "$db" --root "$BENCH_ROOT" >/dev/null
start_server "$db" ${SEARCH_WORKERS:+--workers "$SEARCH_WORKERS"}
search="/inspiratie?q=schulden"
curl -sf -o "$BENCH_DIR/search.html" "$BENCH_URL$search" || { echo "search failed"; exit 1; }
found=$(grep -o 'id="resultaten">[^<]*' "$BENCH_DIR/search.html" | cut -d'>' -f2)
echo "$count generated examples; $search: $found"

cat > "$BENCH_DIR/pages.lua" <<'LUA'
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function()
  return wrk.format("GET", "/inspiratie?q=schulden&pagina=" .. math.random(1, 355))
end
LUA
# wrk_run with a script: prints "REQS_PER_SEC P99_MS NON2XX"
wrk_pages() {
  wrk_all "$1" / -s "$BENCH_DIR/pages.lua" | wrk_summary
}

verdict() { awk -v p="$1" 'BEGIN { print (p + 0 <= 10 ? "met" : "NOT met") }'; }
printf '%-38s %-6s %10s %9s %8s %s\n' endpoint conns "req/s" "p99 ms" "non-2xx" "p99 <= 10 ms"
for conns in ${SEARCH_CONNECTIONS:-2 8 64}; do
  read -r h_rps h_p99 h_err < <(wrk_run "$conns" /healthz)
  read -r s_rps s_p99 s_err < <(wrk_run "$conns" "$search")
  read -r p_rps p_p99 p_err < <(wrk_pages "$conns")
  printf '%-38s %-6s %10s %9s %8s\n' /healthz "$conns" "$h_rps" "$h_p99" "$h_err"
  printf '%-38s %-6s %10s %9s %8s %s\n' "$search" "$conns" "$s_rps" "$s_p99" "$s_err" "$(verdict "$s_p99")"
  printf '%-38s %-6s %10s %9s %8s %s\n' "$search&pagina=random" "$conns" "$p_rps" "$p_p99" "$p_err" "$(verdict "$p_p99")"
  awk -v s="$s_rps" -v p="$p_rps" -v h="$h_rps" -v c="$conns" 'BEGIN {
    printf "ratio to /healthz at %s connections: search %.1f%%, random page %.1f%%\n", c, 100 * s / h, 100 * p / h }'
done
echo "peak RSS: $(peak_rss_mb) MB"
