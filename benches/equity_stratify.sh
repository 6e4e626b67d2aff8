#!/usr/bin/env bash
# The equity performance check, run by hand (CI does not run it: it takes a few minutes and
# writes half a gigabyte):
#
#   benches/equity_stratify.sh [ROWS]        (default 10,000,000 patient-month records, ~0.5 GB)
#
# It generates the extract once (examples/equity_extract.rs), then times, each best of 3 runs:
#   1. the bare read: the csv crate reading every record and doing nothing else;
#   2. qic: `qic equity stratify` of one measure by race and ethnicity by month;
#   3. pandas read_csv + groupby on the same file, if Python with pandas is available.
# and checks the floors: qic at least 5x faster than pandas, within 2x of the bare read, and a
# peak resident memory under 200 MB. Wall times on a shared machine are noisy; the ratios, taken
# in the same run, are what to read.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-10000000}
DIR=target/equity-bench
FILE=$DIR/extract-$ROWS.csv
RUNS=3
mkdir -p "$DIR"

cargo build --release --quiet -p qic-cli
cargo build --release --quiet --example equity_extract
QIC=target/release/qic
EXTRACT=target/release/examples/equity_extract

if [[ ! -f "$FILE" ]]; then
    "$EXTRACT" generate --rows "$ROWS" --out "$FILE"
fi
echo "extract: $FILE ($(du -h "$FILE" | cut -f1), $ROWS rows), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"

# best LABEL CMD...: runs CMD $RUNS times; sets BEST_SECONDS and BEST_USER (of the fastest run)
# and PEAK_KB (the largest max RSS seen, 0 when unknown).
best() {
    local label=$1
    shift
    BEST_SECONDS=""
    BEST_USER=""
    PEAK_KB=0
    local times seconds user kb
    for _ in $(seq "$RUNS"); do
        if [[ -x /usr/bin/time ]]; then
            /usr/bin/time -o "$DIR/time.txt" -f "%e %U %M" "$@" >/dev/null 2>&1
            times=$(tail -1 "$DIR/time.txt")
        else
            # No GNU time: wall time from bash, CPU time and memory unknown.
            local start end
            start=$(date +%s.%N)
            "$@" >/dev/null 2>&1
            end=$(date +%s.%N)
            times="$(echo "$end - $start" | bc) 0 0"
        fi
        read -r seconds user kb <<<"$times"
        if [[ -z "$BEST_SECONDS" ]] || (($(echo "$seconds < $BEST_SECONDS" | bc))); then
            BEST_SECONDS=$seconds
            BEST_USER=$user
        fi
        if ((kb > PEAK_KB)); then PEAK_KB=$kb; fi
    done
    printf '%-10s best of %d: %6.2f s wall, %6.2f s user CPU, peak RSS %6.1f MB\n' \
        "$label" "$RUNS" "$BEST_SECONDS" "$BEST_USER" "$(echo "$PEAK_KB / 1024" | bc -l)"
}

best "bare read" "$EXTRACT" bare-read "$FILE"
BARE=$BEST_SECONDS

best "qic" "$QIC" equity stratify "$FILE" --period visit_date --numerator screened \
    --denominator eligible --by race --by ethnicity --format json --output "$DIR/qic.json"
QIC_SECONDS=$BEST_SECONDS
QIC_KB=$PEAK_KB

PANDAS=""
if python3 -c "import pandas" 2>/dev/null; then
    cat >"$DIR/pandas_groupby.py" <<'PY'
import sys
import pandas as pd

df = pd.read_csv(
    sys.argv[1],
    usecols=["visit_date", "screened", "eligible", "race", "ethnicity"],
    dtype={"visit_date": "string", "race": "string", "ethnicity": "string"},
    keep_default_na=False,
)
df["month"] = df["visit_date"].str.slice(0, 7)
out = df.groupby(["month", "race", "ethnicity"])[["screened", "eligible"]].sum()
out.to_csv(sys.argv[2])
PY
    best "pandas" python3 "$DIR/pandas_groupby.py" "$FILE" "$DIR/pandas.csv"
    PANDAS=$BEST_SECONDS
else
    echo "pandas     not available (pip install pandas), skipped"
fi

echo
status=0
check() { # NAME OK DETAIL
    if (($2)); then echo "PASS  $1: $3"; else
        echo "FAIL  $1: $3"
        status=1
    fi
}
ratio=$(echo "$QIC_SECONDS / $BARE" | bc -l)
check "within 2x of the bare read" "$(echo "$ratio <= 2" | bc)" "$(printf 'qic / bare read = %.2f' "$ratio")"
if [[ -n "$PANDAS" ]]; then
    speedup=$(echo "$PANDAS / $QIC_SECONDS" | bc -l)
    check "at least 5x faster than pandas" "$(echo "$speedup >= 5" | bc)" "$(printf 'pandas / qic = %.1f' "$speedup")"
fi
if ((QIC_KB > 0)); then
    check "peak memory under 200 MB" "$((QIC_KB < 200 * 1024))" "$(printf 'qic peak RSS %.1f MB' "$(echo "$QIC_KB / 1024" | bc -l)")"
fi
exit $status
