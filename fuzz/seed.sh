#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets into DIR/TARGET/ (fuzz/seed.sh
# [DIR], DIR from the repository root; default fuzz/corpus, which libFuzzer
# grows and git ignores) from the repository's own inputs:
#   parse: the formatter's tests, the bad-input corpus, the examples' sources;
#   check: each example project as one container (`--- NAME` lines, see
#          fuzz/src/container.rs), each bad source file as it is, each bad
#          manifest in a container with a one-line plant;
#   plant: the same files as check (any bytes stand for a plant);
#   drift: the exported rule sets of tests/drift.
# Run from anywhere; existing corpus files are kept (libFuzzer adds to them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-fuzz/corpus}
mkdir -p "$out/parse" "$out/check" "$out/plant" "$out/drift"

# A file as a container entry: its header, then its text ending in a newline.
entry() { # NAME PATH-OR-EMPTY
  printf -- '--- %s\n' "$1"
  if [ -n "$2" ]; then
    cat "$2"
    if [ -s "$2" ] && [ -n "$(tail -c 1 "$2")" ]; then echo; fi
  fi
}

# A project directory as one container. Documents (evidence) are named
# only, with no text: kojo checks that they exist, never what they say.
project() { # DIR
  (
    cd "$1"
    find . -type f ! -path './build/*' ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
      case "$f" in
        kojo.kdl | *.kojo | profiles/* | templates/*) entry "$f" "$f" ;;
        *) entry "$f" "" ;;
      esac
    done
  )
}

# A seed of the check target, from standard input; any bytes are a plant too.
check_seed() { # NAME
  tee "$out/check/$1" >"$out/plant/$1"
}

for dir in examples/*/; do
  name=$(basename "$dir")
  project "$dir" | check_seed "example-$name"
  for f in "$dir"*.kojo; do cp "$f" "$out/parse/example-$name-$(basename "$f")"; done
done
for f in tests/corpus/*.kojo; do
  check_seed "$(basename "$f")" <"$f"
  cp "$f" "$out/parse/$(basename "$f")"
done
for f in tests/corpus/*.kdl; do
  { entry kojo.kdl "$f"; printf -- '--- plant.kojo\nplant "T" { profile meti-factory }\n'; } | check_seed "$(basename "$f")"
done
for f in lang/tests/format/*.kojo; do cp "$f" "$out/parse/format-$(basename "$f")"; done
find tests/drift -type f ! -name "*.rs" -exec cp {} "$out/drift/" \;
echo "seeded $out/{parse,check,plant,drift}"
