#!/usr/bin/env bash
# Runs every benchmark against the release build and prints their figures.
set -euo pipefail
cd "$(dirname "$0")"
for b in foundation rounds; do
  echo "== $b =="
  ./$b.sh
done
echo "== durability (kill -9, 20 times) =="
node durability.mjs
echo "== live meeting (500 clients) =="
node meeting.mjs
