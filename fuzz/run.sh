#!/usr/bin/env bash
# Builds cytoskel's libFuzzer targets (clang, ASan + UBSan) and runs each
# one for a fixed time, a few at a time, starting from the seed corpus in
# fuzz/corpus/TARGET. Fails if any target finds a crash, a sanitizer
# report, a leak, a timeout or a broken property; the reproducer is left in
# BUILD/artifacts/ and `BUILD/fuzz/TARGET ARTIFACT` replays it.
#
#   fuzz/run.sh                       # every target, 60 s each, 2 at a time
#   fuzz/run.sh --seconds 10 sigv4_fuzzer
#   FUZZ_SECONDS=300 FUZZ_JOBS=1 fuzz/run.sh
#
# New inputs found during a run go to a scratch corpus, never into the
# repository's seeds.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
build=${FUZZ_BUILD:-build-fuzz}
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
  for source in fuzz/*_fuzzer.cc; do
    targets+=("$(basename "$source" .cc)")
  done
fi

cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCYTOSKEL_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "${BUILD_JOBS:-$(nproc)}" --target "${targets[@]}"

mkdir -p "$build/artifacts" "$build/logs"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Runs one target; prints one summary line; returns non-zero on a finding.
run_one() {
  local target=$1 log="$build/logs/$1.log" dict=() corpus
  corpus="$scratch/$target"
  mkdir -p "$corpus"
  if [[ -f "fuzz/dicts/$target.dict" ]]; then
    dict=("-dict=fuzz/dicts/$target.dict")
  fi
  if "$build/fuzz/$target" "$corpus" "fuzz/corpus/$target" "${dict[@]}" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target-" >"$log" 2>&1; then
    local runs speed
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    printf 'fuzz: %-24s ok   %10s execs  %7s execs/s  %4s s\n' \
      "$target" "$runs" "$speed" "$seconds"
  else
    printf 'fuzz: %-24s FAILED (log: %s)\n' "$target" "$log"
    grep -E 'ERROR|FINDING|SUMMARY|Test unit written' "$log" | head -20 || true
    return 1
  fi
}
export -f run_one
export build seconds scratch

echo "fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time"
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
