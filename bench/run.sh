#!/usr/bin/env bash
# Runs every benchmark against the release build and prints their figures: the load
# benchmarks and the live meeting on SQLite, on PostgreSQL with one instance and with two
# instances on one database; durability on SQLite (the kill -9 test with two instances on
# PostgreSQL is in tests/http/instances.test.mjs).
set -euo pipefail
cd "$(dirname "$0")"
for setup in "sqlite 1" "postgresql 1" "postgresql 2"; do
  read -r engine instances <<<"$setup"
  for b in foundation rounds search; do
    echo "== $b ($engine, $instances instance(s)) =="
    BENCH_ENGINE=$engine BENCH_INSTANCES=$instances ./$b.sh
  done
  echo "== live meeting, 500 clients ($engine, $instances instance(s)) =="
  BENCH_ENGINE=$engine BENCH_INSTANCES=$instances node meeting.mjs
done
echo "== durability (kill -9, 20 times) =="
node durability.mjs
