#!/usr/bin/env bash
# How `kojo check` and `kojo build` (every backend) grow with the plant:
# synthetic plants of 10k, 50k and 200k assets (or the sizes given), each
# timed with hyperfine (median of RUNS, fewer for the large ones) and its
# peak memory read with GNU time. Prints one table; the figures go in
# docs/performance.md ("Scaling"), with the machine.
#
#   bash bench/kojo_scaling.sh                  # 10000 50000 200000
#   SIZES="1000 10000" RUNS=10 bash bench/kojo_scaling.sh
set -euo pipefail

sizes=${SIZES:-10000 50000 200000}
runs=${RUNS:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/kojo-scaling-bench}
backends=${BACKENDS:-nftables,iptables,cisco-asa,fortigate,juniper-srx,json,suricata,remote-access}

[ -x /usr/bin/time ] || { echo "error: GNU time is not installed (apt-get install time)" >&2; exit 2; }
source "$repo/bench/common.sh"
kojo=$release/kojo
synth=$release/kojo-synth

peak() { # peak resident memory of one run, in MiB
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}

rm -rf "$work"
mkdir -p "$work"
printf '| assets | source | check (median) | check peak | build (median) | build peak |\n|---|---|---|---|---|---|\n' >"$work/table.md"
for n in $sizes; do
  r=$runs
  [ "$n" -ge 100000 ] && r=$(( runs < 3 ? runs : 3 ))
  "$synth" "$n" "$work/check-$n" >/dev/null
  "$synth" "$n" "$work/build-$n" --backend "$backends" >/dev/null
  hyperfine -N --style none --warmup 1 --runs "$r" --export-json "$work/check-$n.json" "$kojo check $work/check-$n" >/dev/null
  hyperfine -N --style none --warmup 1 --runs "$r" --export-json "$work/build-$n.json" \
    --prepare "rm -rf $work/build-$n/build" "$kojo build $work/build-$n" >/dev/null
  rm -rf "$work/build-$n/build"
  size=$(cat "$work/check-$n"/*.kojo "$work/check-$n"/kojo.kdl | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')
  printf '| %s | %s MiB | %s s | %s MiB | %s s | %s MiB |\n' "$n" "$size" \
    "$(median "$work/check-$n.json")" "$(peak "$kojo" check "$work/check-$n")" \
    "$(median "$work/build-$n.json")" "$(peak "$kojo" build "$work/build-$n")" >>"$work/table.md"
done
cat "$work/table.md"
