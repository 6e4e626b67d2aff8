#!/usr/bin/env bash
# Renders a collaborative's report and photographs it in headless Chromium, to check by eye that
# the page draws as intended in a real browser. Not run by CI: it needs Chromium
# (Debian: `apt-get install -y chromium`).
#
# Usage: scripts/report-screenshot.sh [FOLDER] [PNG] [HEIGHT]
#   FOLDER  a collaborative's folder (default: the qic-pdsa test fixture)
#   PNG     the screenshot (default: target/qic-report/report.png)
#   HEIGHT  the window's height in pixels (default: 2400; the page is 1400 wide)
# The report itself is written to target/qic-report/report.html, never into FOLDER.
set -euo pipefail
cd "$(dirname "$0")/.."

folder=${1:-crates/qic-pdsa/tests/fixtures/collaborative}
png=${2:-target/qic-report/report.png}
height=${3:-2400}
case $png in /*) ;; *) png="$PWD/$png" ;; esac
mkdir -p target/qic-report "$(dirname "$png")"
html="$PWD/target/qic-report/report.html"

cargo run --quiet -p qic-cli -- report "$folder" --output "$html"

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "no Chromium found: install it (apt-get install -y chromium) and run again" >&2
    exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --screenshot="$png" --window-size="1400,$height" "file://$html" 2>/dev/null
echo "wrote $png"
