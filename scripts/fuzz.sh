#!/usr/bin/env bash
# Runs one fuzz target for SECONDS: libFuzzer through `cargo fuzz` on the stable toolchain, with
# no sanitizer (qic has no unsafe code; panics, overflows and hangs are what it finds). Builds
# what it needs and installs cargo-fuzz with cargo when it is missing. See fuzz/README.md.
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_OPTION...]
#   scripts/fuzz.sh list
#
# New inputs go to fuzz/corpus/TARGET (kept between runs), crashes to fuzz/artifacts/TARGET.
# Extra options go to libFuzzer, e.g. -seed=1, -jobs=2, -max_len=65536.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz $CARGO_FUZZ_VERSION" >&2
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

targets=$(cargo fuzz list --fuzz-dir fuzz)
if [ "${1:-}" = list ]; then
    echo "$targets"
    exit 0
fi
if [ $# -lt 2 ] || ! grep -qx -- "$1" <<<"$targets" || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_OPTION...]; targets:" $targets >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

corpus=fuzz/corpus/$target
artifacts=fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"
# Corpora after the first are read, never written: the seeds from the repository's examples
# and the inputs of crashes fixed since (kept as regression tests).
corpora=("$corpus" "fuzz/seeds/$target")
[ -d "fuzz/regressions/$target" ] && corpora+=("fuzz/regressions/$target")

# The folder and equity targets write temporary files; keep them in a folder removed on exit,
# in memory where there is a tmpfs (creating files on ext4 took a third of the folder target).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch=$(mktemp -d -p /dev/shm qic-fuzz.XXXXXX)
else
    scratch=$(mktemp -d)
fi
trap 'rm -rf "$scratch"' EXIT

TMPDIR=$scratch cargo fuzz run --fuzz-dir fuzz --sanitizer none "$target" "${corpora[@]}" -- \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -dict="fuzz/dict/$target.dict" \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    "$@"
