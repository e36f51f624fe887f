#!/usr/bin/env bash
# Screening side by side with OpenSanctions' nomenklatura logic-v2 (issue 3), in the same run:
# the same 500 labelled pairs and the same screening queries (UN persons by name + birth date,
# and a slice of negatives_global.csv) against the same UN list, both sides pinned to one core,
# interleaved over ROUNDS rounds. Prints medians, ratios and quality as a Markdown table. Each
# dualtrace process figure is the median of 5 runs after an untimed one (`timecmd`).
#   bench/screening.sh [ROUNDS]        (default 3)
# Environment:
#   DUALTRACE_SHARED_DATA  the shared data folder (default ../shared/data)
#   DUALTRACE_BIN          a prebuilt dualtrace (default: build target/release/dualtrace)
#   NK_VENV                the venv for nomenklatura (default ~/.cache/dualtrace/nk-venv; created
#                          with `pip install nomenklatura==4.17.4` when missing)
#   NEGATIVES              rows of negatives_global.csv to screen (default 1000)
#   CPU                    the core both sides are pinned to (default 0)
#   KEEP                   a folder to keep the inputs, outputs and results.jsonl in
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
S="${DUALTRACE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
NK_VERSION=4.17.4
VENV="${NK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dualtrace/nk-venv}"
NEGATIVES=${NEGATIVES:-1000}
CPU=${CPU:-0}
HELPER="$PWD/bench/nomenklatura_bench.py"

if [ -z "${DUALTRACE_BIN:-}" ]; then
  cargo build --release -q -p dualtrace
  DUALTRACE_BIN="${CARGO_TARGET_DIR:-target}/release/dualtrace"
fi
BIN=$(realpath "$DUALTRACE_BIN")

if ! "$VENV/bin/python" -c "import nomenklatura.matching" 2>/dev/null \
  || [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("nomenklatura"))')" != "$NK_VERSION" ]; then
  echo "creating $VENV with nomenklatura==$NK_VERSION" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "nomenklatura==$NK_VERSION" >&2
fi
PY="$VENV/bin/python"

if [ -n "${KEEP:-}" ]; then
  W=$(realpath -m "$KEEP"); mkdir -p "$W"
else
  W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
fi
cd "$W"
rm -f results.jsonl

# The same entities on both sides: the UN list imported into a fresh store, exported as FtM.
rm -rf store
"$BIN" --data-dir store lists import un-xml "$S/lists/un/UN_consolidated_2026-02-27.xml" > /dev/null
"$BIN" --data-dir store lists export un_sc --output un.ftm.jsonl
python3 "$HELPER" prepare --pairs "$S/eval/pairs_dev.json" --entities un.ftm.jsonl \
  --positives "$S/eval/un_positives.csv" --negatives "$S/eval/negatives_global.csv" \
  --negatives-max "$NEGATIVES" --out . > inputs.json
NPAIRS=$(python3 -c 'import json; print(json.load(open("inputs.json"))["pairs"])')
NQUERIES=$(python3 -c 'import json; print(json.load(open("inputs.json"))["queries"])')

timecmd() { python3 "$HELPER" timecmd --stdout "$@"; }

dt_pairs() {
  local full one
  full=$(timecmd dt_pairs.jsonl taskset -c "$CPU" "$BIN" match --input pairs.jsonl)
  one=$(timecmd /dev/null taskset -c "$CPU" "$BIN" match --input pairs1.jsonl)
  # In process: 5 passes of analysing the parsed records' names and scoring every pair.
  taskset -c "$CPU" "$BIN" match --input pairs.jsonl --passes 5 > /dev/null 2> passes.jsonl
  inproc=$(python3 "$HELPER" passes passes.jsonl)
  echo "{\"round\":$1,\"task\":\"dt-pairs\",\"n\":$NPAIRS,\"full\":$full,\"one\":$one,\"inproc\":$inproc,\"quality\":$(
    python3 "$HELPER" dt-pairs --labels labels.json --output dt_pairs.jsonl)}" >> results.jsonl
}
dt_screen() {
  local full one
  full=$(timecmd dt_screen.jsonl taskset -c "$CPU" "$BIN" --data-dir store screen \
    --input queries.csv --format jsonl 2> /dev/null)
  one=$(timecmd /dev/null taskset -c "$CPU" "$BIN" --data-dir store screen \
    --input queries1.csv --format jsonl 2> /dev/null)
  # In process: 5 passes of screening the parsed rows one after the other.
  taskset -c "$CPU" "$BIN" --data-dir store screen --input queries.csv --format jsonl \
    --passes 5 > /dev/null 2> spasses.txt
  inproc=$(python3 "$HELPER" passes spasses.txt)
  echo "{\"round\":$1,\"task\":\"dt-screen\",\"n\":$NQUERIES,\"full\":$full,\"one\":$one,\"inproc\":$inproc,\"quality\":$(
    python3 "$HELPER" dt-screen --expected expected.json --output dt_screen.jsonl)}" >> results.jsonl
}
nk_pairs() {
  echo "{\"round\":$1,\"task\":\"nk-pairs\",$(taskset -c "$CPU" "$PY" "$HELPER" nk-pairs \
    --pairs pairs.jsonl --labels labels.json | sed 's/^{//')" >> results.jsonl
}
nk_screen() {
  echo "{\"round\":$1,\"task\":\"nk-screen\",$(taskset -c "$CPU" "$PY" "$HELPER" nk-screen \
    --entities un.ftm.jsonl --queries queries.csv --expected expected.json | sed 's/^{//')" >> results.jsonl
}
load() {
  echo "{\"round\":\"$1\",\"task\":\"load\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> results.jsonl
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  load "$r"
  # Alternate which side goes first, so neither always runs in the other's wake.
  if [ $((r % 2)) -eq 1 ]; then
    dt_pairs "$r"; nk_pairs "$r"; dt_screen "$r"; nk_screen "$r"
  else
    nk_pairs "$r"; dt_pairs "$r"; nk_screen "$r"; dt_screen "$r"
  fi
done
load end

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); both sides pinned to core $CPU"
echo "dualtrace: $("$BIN" --version)"
echo "nomenklatura venv: $("$PY" -m pip freeze 2>/dev/null | grep -iE '^(nomenklatura|followthemoney|rigour|pyicu|normality)==' | tr '\n' ' ')"
echo "Inputs: $(cat inputs.json)"
echo
python3 "$HELPER" summary --results results.jsonl
