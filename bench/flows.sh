#!/usr/bin/env bash
# Trade flows benchmark: generate N synthetic BACI rows, ingest them into Parquet, time each
# standard report with dualtrace (DataFusion, embedded) and the very same SQL with DuckDB (PyPI,
# in a venv this script creates) on the same Parquet files. Prints a Markdown table.
#
#   bench/flows.sh [ROWS]            (default 10,000,000; the issue's target is 100,000,000)
#   WORK=/big/disk bench/flows.sh 100000000
#
# Every SQL statement a report runs is logged (DUALTRACE_FLOWS_SQL_LOG) and replayed on DuckDB,
# so both engines run identical queries. Times are wall-clock seconds of the whole command (for
# dualtrace: process start, session, file listing, query, output; for DuckDB: connect, view over
# the same files, the same statements in order), the best of RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${1:-10000000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-/tmp/dualtrace-flows-bench}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release -p dualtrace >&2
BIN="$TARGET/release/dualtrace"

rm -rf "$WORK/gen" "$WORK/data" "$WORK/sql"
mkdir -p "$WORK/gen" "$WORK/data" "$WORK/sql"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

t0=$(now)
"$BIN" gen trade --rows "$ROWS" --out "$WORK/gen" --seed 1 >&2
t1=$(now)
"$BIN" --data-dir "$WORK/data" flows ingest baci "$WORK"/gen/*.csv >&2
t2=$(now)
gen_s=$(elapsed "$t0" "$t1")
ingest_s=$(elapsed "$t1" "$t2")
parquet_mb=$(du -sm "$WORK/data/flows" | cut -f1)

# name|arguments
REPORTS=(
  "surge|flows report surge --exporter EU27 --baseline 2019-2021 --period 2022-2023 --min-baseline 1000000 --format json"
  "supplier-shares|flows report supplier-shares --importer RU --period 2023 --goods chpl --format json"
  "top-suppliers|flows report top-suppliers --importer RU --period 2019-2024 --limit 10 --format json"
  "series|flows report series --reporter CN --partner RU --period 2021-2024 --format json"
  "mirror-gaps|flows report mirror-gaps --period 2022-2023 --limit 20 --format json"
  "unit-values|flows report unit-values --reporter CN --period 2022-2023 --min-jump 5 --limit 20 --format json"
)

# DuckDB in a venv (created once).
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv" >&2
  "$WORK/venv/bin/pip" install --quiet duckdb >&2
fi
duck_version=$("$WORK/venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')

cat > "$WORK/duck.py" <<'PY'
import sys, time, duckdb
flows, sql_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
statements = [l.strip() for l in open(sql_file) if l.strip()]
best = None
for _ in range(runs):
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"CREATE VIEW flows AS SELECT * FROM read_parquet('{flows}/**/*.parquet')")
    for s in statements:
        con.execute(s).fetchall()
    con.close()
    e = time.perf_counter() - t
    best = e if best is None else min(best, e)
print(f"{best:.3f}")
PY

echo "| report | dualtrace / DataFusion (s) | DuckDB $duck_version (s) | ratio |"
echo "|---|---:|---:|---:|"
for entry in "${REPORTS[@]}"; do
  name="${entry%%|*}"
  args="${entry#*|}"
  best=""
  for run in $(seq "$RUNS"); do
    log="$WORK/sql/$name.sql"
    rm -f "$log"
    s=$(now)
    # shellcheck disable=SC2086
    DUALTRACE_FLOWS_SQL_LOG="$log" "$BIN" --data-dir "$WORK/data" $args > "$WORK/sql/$name.out" 2>/dev/null
    e=$(elapsed "$s" "$(now)")
    if [ -z "$best" ] || [ "$(echo "$e < $best" | bc)" = 1 ]; then best=$e; fi
  done
  duck=$("$WORK/venv/bin/python" "$WORK/duck.py" "$WORK/data/flows" "$WORK/sql/$name.sql" "$RUNS")
  ratio=$(echo "scale=2; $best / $duck" | bc)
  printf "| %s | %.3f | %s | %s |\n" "$name" "$best" "$duck" "$ratio"
done
rows_per_s=$(echo "$ROWS / $ingest_s" | bc)
echo
echo "rows: $ROWS; generate: ${gen_s}s; ingest: ${ingest_s}s ($rows_per_s rows/s); Parquet: ${parquet_mb} MiB"
