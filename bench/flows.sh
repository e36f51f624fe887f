#!/usr/bin/env bash
# Trade flows benchmark: generate N synthetic rows (90% annual BACI rows, 10% monthly two-sided
# Comtrade rows, so that the monthly series and the mirror gaps have data), ingest them into
# Parquet, time each standard report with dualtrace (DataFusion, embedded) and the very same SQL
# with DuckDB (PyPI, in a venv this script creates) on the same Parquet files. Prints a Markdown
# table.
#
#   bench/flows.sh [ROWS]            (default 10,000,000; the issue's target is 100,000,000)
#   WORK=/big/disk bench/flows.sh 100000000
#   REUSE=1 WORK=/big/disk bench/flows.sh 100000000   (time the reports on the dataset of an
#                                                     earlier run: no generation, no ingest)
#   DUALTRACE_BIN=path/to/dualtrace ...   (time a prebuilt binary instead of building one)
#
# Every SQL statement a report runs is logged (DUALTRACE_FLOWS_SQL_LOG) and replayed on DuckDB,
# so both engines run identical queries. Times are wall-clock seconds of the whole command (for
# dualtrace: process start, session, file listing, query, output; for DuckDB: connect, view over
# the same files, the same statements in order). Each report runs RUNS times on each engine, the
# two engines alternating run by run, so that a burst of load on this shared machine falls on
# both; the table gives the median and the best of each, and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${1:-10000000}"
RUNS="${RUNS:-11}"
WORK="${WORK:-/tmp/dualtrace-flows-bench}"
TARGET="${CARGO_TARGET_DIR:-target}"

if [ -n "${DUALTRACE_BIN:-}" ]; then
  BIN=$(realpath "$DUALTRACE_BIN")
else
  cargo build --release -p dualtrace >&2
  BIN="$TARGET/release/dualtrace"
fi

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

COMTRADE_ROWS=$((ROWS / 10))
BACI_ROWS=$((ROWS - COMTRADE_ROWS))
echo "start: $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)" >&2
if [ -z "${REUSE:-}" ]; then
  rm -rf "$WORK/gen" "$WORK/data" "$WORK/sql"
  mkdir -p "$WORK/gen" "$WORK/data" "$WORK/sql"
  t0=$(now)
  "$BIN" gen trade --rows "$BACI_ROWS" --out "$WORK/gen/baci" --seed 1 >&2
  "$BIN" gen trade --rows "$COMTRADE_ROWS" --out "$WORK/gen/comtrade" --seed 2 --format comtrade-csv >&2
  t1=$(now)
  "$BIN" --data-dir "$WORK/data" flows ingest baci "$WORK"/gen/baci/*.csv >&2
  "$BIN" --data-dir "$WORK/data" flows ingest comtrade-csv "$WORK"/gen/comtrade/*.csv >&2
  t2=$(now)
  gen_s=$(elapsed "$t0" "$t1")
  ingest_s=$(elapsed "$t1" "$t2")
fi
mkdir -p "$WORK/sql"
stored=$("$BIN" --data-dir "$WORK/data" flows sql "SELECT COUNT(*) AS n FROM flows" --format csv | tail -1)
if [ "$stored" != "$ROWS" ]; then
  echo "the dataset holds $stored rows, not the $ROWS generated" >&2
  exit 1
fi
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
flows, sql_file = sys.argv[1], sys.argv[2]
statements = [l.strip() for l in open(sql_file) if l.strip()]
t = time.perf_counter()
con = duckdb.connect()
con.execute(f"CREATE VIEW flows AS SELECT * FROM read_parquet('{flows}/**/*.parquet')")
for s in statements:
    con.execute(s).fetchall()
con.close()
print(f"{time.perf_counter() - t:.3f}")
PY

# The fixed cost of a dualtrace command: process start, session, file listing, a trivial query.
fixed=""
for run in $(seq "$RUNS"); do
  s=$(now)
  "$BIN" --data-dir "$WORK/data" flows sql "SELECT 1 AS one" > /dev/null
  e=$(elapsed "$s" "$(now)")
  if [ -z "$fixed" ] || [ "$(echo "$e < $fixed" | bc)" = 1 ]; then fixed=$e; fi
done

# The median and the best of a list of seconds, as "median best".
median_best() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f", m, v[1] }'; }

echo "| report | result rows | dualtrace / DataFusion, median (best) (s) | DuckDB $duck_version, median (best) (s) | ratio of medians |"
echo "|---|---:|---:|---:|---:|"
for entry in "${REPORTS[@]}"; do
  name="${entry%%|*}"
  args="${entry#*|}"
  log="$WORK/sql/$name.sql"
  # The statements the report runs, logged once, for DuckDB.
  rm -f "$log"
  # shellcheck disable=SC2086
  DUALTRACE_FLOWS_SQL_LOG="$log" "$BIN" --data-dir "$WORK/data" $args > "$WORK/sql/$name.out" 2>/dev/null
  ours=""
  theirs=""
  for run in $(seq "$RUNS"); do
    s=$(now)
    # shellcheck disable=SC2086
    "$BIN" --data-dir "$WORK/data" $args > /dev/null 2>&1
    ours="$ours $(elapsed "$s" "$(now)")"
    theirs="$theirs $("$WORK/venv/bin/python" "$WORK/duck.py" "$WORK/data/flows" "$log")"
  done
  read -r our_median our_best <<< "$(echo $ours | median_best)"
  read -r duck_median duck_best <<< "$(echo $theirs | median_best)"
  ratio=$(echo "scale=2; $our_median / $duck_median" | bc)
  result_rows=$("$WORK/venv/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/sql/$name.out")
  printf "| %s | %s | %.3f (%.3f) | %.3f (%.3f) | %s |\n" "$name" "$result_rows" "$our_median" "$our_best" "$duck_median" "$duck_best" "$ratio"
done
echo
if [ -z "${REUSE:-}" ]; then
  rows_per_s=$(echo "$ROWS / $ingest_s" | bc)
  echo "rows: $ROWS ($BACI_ROWS BACI + $COMTRADE_ROWS Comtrade); generate: ${gen_s}s; ingest: ${ingest_s}s ($rows_per_s rows/s); Parquet: ${parquet_mb} MiB"
else
  echo "rows: $ROWS (dataset of an earlier run, REUSE=1); Parquet: ${parquet_mb} MiB"
fi
printf "fixed cost of a dualtrace command (flows sql \"SELECT 1\"): %.3f s\n" "$fixed"
echo "end: $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
