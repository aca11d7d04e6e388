#!/usr/bin/env bash
# Runs every benchmark against the release build and prints their figures: the load
# benchmarks on SQLite, on PostgreSQL with one instance and with two instances on one
# database; durability and the live meeting on SQLite.
set -euo pipefail
cd "$(dirname "$0")"
for setup in "sqlite 1" "postgresql 1" "postgresql 2"; do
  read -r engine instances <<<"$setup"
  for b in foundation rounds search; do
    echo "== $b ($engine, $instances instance(s)) =="
    BENCH_ENGINE=$engine BENCH_INSTANCES=$instances ./$b.sh
  done
done
echo "== durability (kill -9, 20 times) =="
node durability.mjs
echo "== live meeting (500 clients) =="
node meeting.mjs
