#!/usr/bin/env bash
# CI: every unit and integration test once more under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer, in a Debug build made with clang; then each libFuzzer target of
# tests/fuzz for FUZZ_SECONDS (default 60) on a scratch copy of its seed corpus. Any report
# fails the run. Usage: scripts/ci-sanitizers.sh  (FUZZ_SECONDS=0 skips the fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build-sanitize
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSMBHUB_SANITIZE=address,undefined -DSMBHUB_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"

here=$(pwd)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$here/tests/fuzz/lsan.supp:print_suppressions=0"
(cd "$build" && ctest --output-on-failure --timeout 900 -j"$(nproc)")

seconds=${FUZZ_SECONDS:-60}
[ "$seconds" -gt 0 ] || exit 0
for target in fuzz_request_framing fuzz_json_bodies fuzz_target_url fuzz_signature_header fuzz_config; do
  scratch=$(mktemp -d)
  echo "fuzzing $target for ${seconds}s"
  if ! "$build/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       "$scratch" "tests/fuzz/corpus/$target" >"$scratch.log" 2>&1; then
    tail -n 60 "$scratch.log"
    echo "fuzz: $target found a failure (the crashing input is in the working directory: crash-*)"
    rm -rf "$scratch"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$scratch.log" | tr '\n' ' '; echo
  rm -rf "$scratch" "$scratch.log"
done
