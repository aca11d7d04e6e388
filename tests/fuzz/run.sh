#!/usr/bin/env bash
# Fuzzes the instrument loader with libFuzzer for N seconds (default 60):
#   tests/fuzz/run.sh [seconds]
# Builds into build/fuzz/ with clang++-16 (g++ has no libFuzzer, and clang-14 cannot
# compile libstdc++-12's <expected>). The seed corpus is copied at run time from the
# built-in instruments, the broken test cases and earlier findings. Exits non-zero on a
# crash, leak or timeout and copies the input into tests/fuzz/regressions/, which the
# unit tests load on every run.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/build/fuzz"
regressions="$root/tests/fuzz/regressions"

if ! command -v clang++-16 >/dev/null 2>&1; then
    echo "clang++-16 ontbreekt; installeren (Debian bookworm: clang-16)..."
    apt-get install -y clang-16
fi

rm -rf "$out/seeds" "$out/artifacts" # the corpus stays: it grows from run to run
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"
shopt -s nullglob
for file in "$root"/instruments/*.yaml "$root"/tests/instruments/broken/*.yaml "$regressions"/*; do
    cp "$file" "$out/seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
done

# Words the format uses, so that mutations produce instrument-shaped YAML sooner.
{
    for word in id version title subtitle source document publisher year section introduction \
        heading text duration_minutes themes description scales min max labels dont_know steps \
        intro question items type number hint theme required adapted scale options other \
        exclusive group unit rows max_length columns yes no nl en single multi yesno \
        count actions guidance action who department due true false; do
        printf '"%s"\n' "$word"
    done
    printf '"%s"\n' ": " "- " "\\x0a  " "{" "}" "[" "]" "&a " "*a" "---" "\\x22" "'" "!!int "
} > "$out/yaml.dict"

echo "Bouwen van $out/instrument_loader_fuzz ..."
# clang 16 spells C++23 as c++2b (-std=c++23 arrived in clang 17). It also still reports
# __cpp_concepts as 201907, which hides libstdc++-12's <expected>; clang 16 does implement
# the feature that guard waits for (P0848, conditionally trivial special members), so we
# raise the macro.
clang++-16 -std=c++2b -Wno-builtin-macro-redefined -U__cpp_concepts -D__cpp_concepts=202002L \
    -O1 -g -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root/src" \
    "$root"/src/domain/*.cpp "$root"/src/instruments/*.cpp \
    "$root/tests/fuzz/instrument_loader_fuzz.cpp" \
    -lyaml-cpp -o "$out/instrument_loader_fuzz"

status=0
"$out/instrument_loader_fuzz" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -dict="$out/yaml.dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus" "$out/seeds" || status=$?

artifacts=("$out"/artifacts/*)
if [[ "$status" -ne 0 || "${#artifacts[@]}" -gt 0 ]]; then
    mkdir -p "$regressions"
    for artifact in "${artifacts[@]}"; do
        cp -n "$artifact" "$regressions/"
    done
    echo "Fuzzing vond een probleem (status $status); invoer staat in $regressions/." >&2
    exit "$(( status == 0 ? 1 : status ))"
fi
echo "Geen crash, lek of timeout in $seconds seconden."
