#!/usr/bin/env bash
# Times `kojo diff` and `kojo log` on a repository with many commits.
#
#   bash bench/kojo_history.sh             # 100-asset plant, 1,000 commits, 10 runs
#   bash bench/kojo_history.sh 1000 1000 5 # ASSETS COMMITS RUNS
#
# The repository (in $WORK, default /tmp/kojo-history-bench) holds a
# synthetic plant (`kojo-synth`) and COMMITS commits on top of it, in turn:
# a comment added to a conduit file (no semantic change), a flow added to
# or removed from conduit `c1`, and `dns` added to or removed from an asset's services.
# Needs git and hyperfine (`apt-get install hyperfine`); builds the release binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS=${1:-100}
COMMITS=${2:-1000}
RUNS=${3:-10}
WORK=${WORK:-/tmp/kojo-history-bench}

repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/bench/common.sh"
KOJO=$release/kojo
rm -rf "$WORK" && mkdir -p "$WORK/repo"
cd "$WORK/repo"
git init -q -b main
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@kojo.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@kojo.invalid
"$release/kojo-synth" "$ASSETS" plant >/dev/null
git add -A && git commit -q -m "the plant"
git tag base
for i in $(seq 1 "$COMMITS"); do
  case $((i % 3)) in
    0) echo "// review note $i" >> plant/conduits-01.kojo ;;
    1) if grep -q "allow a57 -> a20 service ssh" plant/conduits-00.kojo; then
         sed -i "/allow a57 -> a20 service ssh/d" plant/conduits-00.kojo
       else
         sed -i '/^conduit c1 "/a\  allow a57 -> a20 service ssh' plant/conduits-00.kojo
       fi ;;
    2) n=$(( (i / 3) % ASSETS ))
       sed -i -E "/^asset a$n \"/,/^}/{/services \[.*, dns\]/{s/, dns\]/]/;b};s/services \[(.*)\]/services [\1, dns]/}" plant/assets-*.kojo ;;
  esac
  git commit -q -am "change $i"
done
echo "repository: $(git rev-list --count HEAD) commits, plant of $ASSETS assets"
"$KOJO" check plant >/dev/null || true
hyperfine -N --warmup 1 --runs "$RUNS" \
  "$KOJO diff base HEAD --project plant --format json" \
  "$KOJO diff HEAD~1 HEAD --project plant --format json" \
  "$KOJO log conduit c1 --project plant -n $COMMITS --format json" \
  "$KOJO log asset a0 --project plant -n $COMMITS --format json"
