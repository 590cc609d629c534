# Sourced by the bench scripts, with `repo` set to the repository: checks
# for hyperfine, builds the release binaries, and sets `release` to where
# cargo put them (CARGO_TARGET_DIR and cargo's config are honoured).

command -v hyperfine >/dev/null || { echo "error: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin kojo --bin kojo-synth --manifest-path "$repo/Cargo.toml"
release=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release

median() { # hyperfine's JSON export → the median in seconds
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
