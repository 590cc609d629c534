#!/usr/bin/env bash
# The whole `kojo build` command on a synthetic plant, every backend, timed
# with hyperfine; then `nft -c -f` on the nftables output it wrote (needs
# root: nft checks against the kernel's netlink interface).
#
#   bash bench/kojo_build.sh [ASSETS] [RUNS]      # defaults: 10000 10
#
# Figures go in docs/performance.md ("Build"); medians, never a timed test.
set -euo pipefail

assets=${1:-10000}
runs=${2:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/kojo-build-bench}
# Every backend kojo has (`kojo build` rejects an unknown name, so a new
# backend missing here shows up as a smaller build, never a wrong one).
backends=${BACKENDS:-nftables,iptables,cisco-asa,fortigate,juniper-srx,json,suricata,remote-access}

source "$repo/bench/common.sh"
kojo=$release/kojo

rm -rf "$work"
"$release/kojo-synth" "$assets" "$work/plant" --backend "$backends" >/dev/null
# The check is timed on the same plant built for no backend: with a vendor
# format selected its Modbus conduits are only monitored, which the
# guideline's high tier reports (NW-TRAFFIC-IPS), and a check with findings
# exits 1.
"$release/kojo-synth" "$assets" "$work/check-plant" >/dev/null
"$kojo" build "$work/plant" >/dev/null 2>&1 || "$kojo" build "$work/plant"
find "$work/plant/build" -type f ! -name kojo-index.txt -printf '  %P: %s bytes\n' | sort

echo "== kojo check and kojo build, $assets assets, $runs runs"
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-json "$work/kojo.json" \
  --command-name "kojo check" "$kojo check $work/check-plant" \
  --prepare "rm -rf $work/plant/build" --command-name "kojo build ($backends)" "$kojo build $work/plant"

nft_files=$(find "$work/plant/build" -name '*.nft' | sort)
if [ -n "$nft_files" ] && [ "$(id -u)" = 0 ] && command -v nft >/dev/null; then
  for f in $nft_files; do
    device=$(basename "$(dirname "$f")")
    echo "== nft -c -f ${f#"$work/plant/build/"} ($(grep -c ' accept' "$f") accept rules)"
    hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$work/nft-$device.json" "nft -c -f $f"
  done
else
  echo "(nft -c not run: needs nftables output, nft, and root)"
fi
python3 - "$work" <<'EOF'
import glob, json, sys
for path in sorted(glob.glob(f"{sys.argv[1]}/*.json")):
    for r in json.load(open(path))["results"]:
        print(f"median {r['median'] * 1000:8.1f} ms  {r['command']}")
EOF
