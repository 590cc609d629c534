#!/usr/bin/env bash
# How each backend's rendering grows with the plant: for every size, the
# median `kojo check` of the plant with no backend, then the median
# `kojo build` of the same plant with one backend, and the difference (what
# lowering, rendering and writing that backend cost). A backend whose cost
# grows faster than the plant shows it in the last column: ×4 from 50k to
# 200k is linear. This is how Cisco ASA's access lists, which read every
# flow once per interface, were found. It needs two sizes or more.
#
#   bash bench/kojo_backend_scaling.sh                       # 10000 50000 200000
#   SIZES="10000 50000" RUNS=3 bash bench/kojo_backend_scaling.sh
#
# Modbus flows are left unlimited (`kojo-synth --no-functions`) so that each
# firewall builds alone; Suricata is measured with nftables, which sends
# flows to it inline: its row is both together, on the plant with Modbus
# limits, so only roughly that row less the nftables row is Suricata's.
set -euo pipefail

sizes=${SIZES:-10000 50000 200000}
runs=${RUNS:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/kojo-backend-scaling-bench}
backends=${BACKENDS:-nftables iptables cisco-asa fortigate juniper-srx json remote-access nftables,suricata}

set -- $sizes
[ $# -ge 2 ] || { echo "error: SIZES needs two sizes or more, to show a slope" >&2; exit 2; }
source "$repo/bench/common.sh"
kojo=$release/kojo
synth=$release/kojo-synth


rm -rf "$work"
mkdir -p "$work"
declare -A cost
for n in $sizes; do
  r=$runs
  [ "$n" -ge 100000 ] && r=$(( runs < 3 ? runs : 3 ))
  "$synth" "$n" "$work/plant" --no-functions >/dev/null
  # The check is timed before and after the builds, and its mean taken:
  # on a shared machine the load drifts while they run.
  hyperfine -N --style none --warmup 1 --runs "$r" --export-json "$work/check.json" "$kojo check $work/plant" >/dev/null
  before=$(median "$work/check.json")
  for b in $backends; do
    rm -rf "$work/plant"
    if [ "$b" = "nftables,suricata" ]; then
      "$synth" "$n" "$work/plant" --backend "$b" >/dev/null
    else
      "$synth" "$n" "$work/plant" --no-functions --backend "$b" >/dev/null
    fi
    hyperfine -N --style none --warmup 1 --runs "$r" --export-json "$work/build.json" \
      --prepare "rm -rf $work/plant/build" "$kojo build $work/plant" >/dev/null
    cost[$b,$n]=$(median "$work/build.json")
  done
  rm -rf "$work/plant"
  "$synth" "$n" "$work/plant" --no-functions >/dev/null
  hyperfine -N --style none --warmup 1 --runs "$r" --export-json "$work/check.json" "$kojo check $work/plant" >/dev/null
  after=$(median "$work/check.json")
  rm -rf "$work/plant"
  check=$(python3 -c "print('%.3f' % (($before + $after) / 2))")
  cost[check,$n]=$check
  cost[drift,$n]=$(python3 -c "print('%.0f' % (100 * abs($after - $before) / $check))")
  for b in $backends; do
    cost[$b,$n]=$(python3 -c "print('%+.3f' % (${cost[$b,$n]} - $check))")
  done
done

# A slope from costs within the noise says nothing: "—" below 50 ms.
slope() {
  python3 -c "a, b = $1, $2; print(' ×%.1f |' % (b / a) if a >= 0.05 and b >= 0 else ' — |')"
}

set -- $sizes
last=${!#}
prev=${*: -2:1}
{
  printf '| backend |'
  for n in $sizes; do printf ' %s |' "$n"; done
  printf ' %s → %s |\n|---|' "$prev" "$last"
  for n in $sizes; do printf -- '---|'; done
  printf -- '---|\n'
  printf '| `kojo check`, no backend |'
  for n in $sizes; do printf ' %s s |' "${cost[check,$n]}"; done
  slope "${cost[check,$prev]}" "${cost[check,$last]}"
  for b in $backends; do
    printf '| %s |' "$b"
    for n in $sizes; do printf ' %s s |' "${cost[$b,$n]}"; done
    slope "${cost[$b,$prev]}" "${cost[$b,$last]}"
  done
  printf '\n(plant sizes ×%s from %s to %s; each backend'"'"'s cost is its build less the check;\n' \
    "$(python3 -c "print('%g' % ($last / $prev))")" "$prev" "$last"
  printf ' the check moved by'
  for n in $sizes; do printf ' %s%% (%s)' "${cost[drift,$n]}" "$n"; done
  printf ' between before and after the builds: a cost smaller than that is noise)\n'
} | tee "$work/table.md"
