#!/usr/bin/env bash
# Rounds: (1) 200 participants saving answers at once (target >= 2,000 saves/s, with p99);
# (2) the results page of a round with 50 participants against /healthz at 64 connections
# (target >= 25% of /healthz, p99 <= 15 ms).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_database
db=$BENCH_DB
echo "engine: $(bench_setup)"
"$GIDS" demo --db "$db" --secret-file "$BENCH_DIR/secret.key" >/dev/null
start_server "$db" ${WORKERS:+--workers "$WORKERS"} --secret-file "$BENCH_DIR/secret.key"
api_token=$("$GIDS" token create --db "$db" --email coordinator@demo.gids.nl)

# make_round N -> prints the round id; writes the invitation tokens to $BENCH_DIR/tokens
make_round() {
  local n=$1 labels
  labels=$(python3 -c "import json; print(json.dumps([{'label': f'Deelnemer {i}'} for i in range($n)]))")
  curl -sf -H "Authorization: Bearer $api_token" -X POST \
    -d "{\"instrument\":\"gesprekstool-armoede-gezondheid\",\"title\":\"Meting $n\",\"participants\":$labels}" \
    "$BENCH_URL/api/v1/assessments" > "$BENCH_DIR/round.json"
  python3 -c "import json; d=json.load(open('$BENCH_DIR/round.json')); print('\n'.join(i['token'] for i in d['invitations']))" > "$BENCH_DIR/tokens"
  python3 -c "import json; print(json.load(open('$BENCH_DIR/round.json'))['id'])"
}

echo "-- 200 participants saving answers at once (JSON API) --"
make_round 200 >/dev/null
read -r s_rps s_p99 s_err < <(TOKENS_FILE="$BENCH_DIR/tokens" wrk_all 200 / \
  -s "$(cd "$(dirname "$0")" && pwd)/save_answers.lua" | wrk_summary)
echo "answer saves/s: $s_rps"
echo "p99 ms: $s_p99"
echo "non-2xx: $s_err"

echo "-- results page of a round with 50 participants --"
round=$(make_round 50)
while read -r token; do
  for item in a b c d e f; do
    curl -sf -o /dev/null -X PUT -H "Authorization: Invitation $token" \
      -d "{\"value\":$(( (RANDOM % 5) + 1 ))}" "$BENCH_URL/api/v1/participation/answers/stelling-$item"
  done
  curl -sf -o /dev/null -X POST -H "Authorization: Invitation $token" "$BENCH_URL/api/v1/participation/submit"
done < "$BENCH_DIR/tokens"
cookie=$(login coordinator@demo.gids.nl demo-coordinator-2026)
page="/rondes/$round/resultaten"
curl -sf -b "gids_session=$cookie" -o /dev/null "$BENCH_URL$page" || { echo "results page failed"; exit 1; }
read -r h_rps h_p99 _ < <(wrk_run 64 /healthz)
read -r r_rps r_p99 r_err < <(wrk_run 64 "$page" "$cookie")
printf '%-14s %12s %10s\n' endpoint "req/s" "p99 ms"
printf '%-14s %12s %10s\n' /healthz "$h_rps" "$h_p99"
printf '%-14s %12s %10s   non-2xx %s\n' results "$r_rps" "$r_p99" "$r_err"
awk -v r="$r_rps" -v h="$h_rps" 'BEGIN { printf "ratio results/healthz at 64: %.0f%%\n", 100 * r / h }'
echo "peak RSS: $(peak_rss_mb) MB"
