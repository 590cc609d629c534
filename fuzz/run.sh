#!/usr/bin/env bash
# Fuzzes one target with its defaults: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags…]
# (TARGET: parse, check, plant, drift; SECONDS: 600). Seeds the corpus first
# (fuzz/seed.sh), runs one job, and ends with libFuzzer's final statistics
# (the number of executions and the rate); flags given after SECONDS win
# over the defaults. Needs nightly and cargo-fuzz (see docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh parse|check|plant|drift [SECONDS] [libFuzzer flags…]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
# Inputs no bigger than a plant needs: larger ones only slow every run down.
case "$target" in
  parse) flags=(-max_len=2048 -dict=kojo.dict) ;;
  check) flags=(-max_len=4096 -dict=kojo.dict) ;;
  plant) flags=(-max_len=512) ;;
  drift) flags=(-max_len=4096) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
# Two runs started together would seed the same files at once.
mkdir -p corpus
flock corpus/.seed.lock ./seed.sh >/dev/null
# Safe Rust needs no AddressSanitizer (a panic, an overflow, a stack overflow
# or a timeout is a finding without it), and the dictionaries stand in for
# comparison tracing: both cost several times the rate (docs/fuzzing.md).
exec cargo +nightly fuzz run -s none --no-trace-compares "$target" "corpus/$target" -- \
  "${flags[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@"
