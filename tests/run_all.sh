#!/usr/bin/env bash
# Runs every suite against the sanitizer build and prints one closing line with the totals.
# Suites: unit (GoogleTest), http and e2e (node's test runner against the real binary),
# fuzz (libFuzzer on the instrument loader). The storage tests, http and e2e run twice: on
# SQLite and on a throwaway PostgreSQL cluster (tests/pg/cluster.sh), stopped at the end
# whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
export GIDS_BIN="$PWD/build/test/gids"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p build/test-results

passed=0
failed=0
failed_suites=()

count_gtest() { # file
  local p f
  p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$1" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo '\[  FAILED  \] [0-9]+ test' "$1" | grep -Eo '^[^0-9]*[0-9]+' | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
count_node() { # file
  local p f
  p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

run_suite() { # name counter command...
  local name=$1 counter=$2; shift 2
  local out=build/test-results/$name.log
  echo "=== $name ==="
  "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  $counter "$out"
  if [ "$rc" -ne 0 ]; then failed_suites+=("$name"); fi
}

pg_dir=$(mktemp -d /tmp/gids-pg-XXXXXX)
trap 'tests/pg/cluster.sh stop "$pg_dir"' EXIT
if pg_env=$(tests/pg/cluster.sh start "$pg_dir" fast); then
  pg_env=${pg_env#export } # "GIDS_PG_HOST=... GIDS_PG_PORT=..." for env
  pg_ready=1
else
  pg_ready=0
  echo "De PostgreSQL-testserver start niet; de suites op PostgreSQL tellen als mislukt."
  failed_suites+=(postgresql)
fi

# The suites that run on both engines; with the cluster's variables, on PostgreSQL.
storage_tests='StorageTest.*:DutchSearchTest.*'
run_suite unit count_gtest ./build/test/gids_unit_tests --gtest_brief=1
run_suite http count_node node --test --test-concurrency=2 --test-reporter=tap tests/http/
run_suite e2e count_node node --test --test-concurrency=1 --test-reporter=tap tests/e2e/
if [ "$pg_ready" -eq 1 ]; then
  run_suite unit-postgresql count_gtest env $pg_env \
    ./build/test/gids_unit_tests --gtest_brief=1 --gtest_filter="$storage_tests"
  run_suite http-postgresql count_node env $pg_env \
    node --test --test-concurrency=2 --test-reporter=tap tests/http/
  run_suite e2e-postgresql count_node env $pg_env \
    node --test --test-concurrency=1 --test-reporter=tap tests/e2e/
fi
if [ -x tests/fuzz/run.sh ]; then
  echo "=== fuzz ==="
  if ./tests/fuzz/run.sh "${GIDS_FUZZ_SECONDS:-60}" > build/test-results/fuzz.log 2>&1; then
    passed=$((passed + 1)); tail -3 build/test-results/fuzz.log
  else
    failed=$((failed + 1)); failed_suites+=(fuzz); tail -40 build/test-results/fuzz.log
  fi
fi

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "Failing suites: ${failed_suites[*]}"
fi
echo "$passed passed, $failed failed"
[ ${#failed_suites[@]} -eq 0 ] && [ "$failed" -eq 0 ]
