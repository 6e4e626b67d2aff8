#!/usr/bin/env bash
# Judging 100,000 applications through Python (dicts in, decisions out) against
# `qic eligibility batch` on the same applications as JSON Lines, in one run (CI does not run
# it; it takes about a minute after the release builds):
#
#   benches/eligibility_python.sh [COUNT]
#
# Builds the qic command and the Python package in release mode (the package into the virtual
# environment target/bench-venv, with maturin from PyPI), then runs benches/eligibility_python.py,
# which prints both times and the ratio and fails above 2x.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/bench-venv
cargo build --release --locked --quiet -p qic-cli
if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet "maturin>=1.9.4,<2"
(cd crates/qic-python && VIRTUAL_ENV="$PWD/../../$VENV" PATH="$PWD/../../$VENV/bin:$PATH" \
    maturin develop --release --locked --quiet)
"$VENV/bin/python" benches/eligibility_python.py target/release/qic "${1:-100000}"
