#!/usr/bin/env bash
# Shipment risk throughput: every real list of ../shared/data imported into a temporary store,
# then `dualtrace risk` on generated shipment lines (release build), timed with /usr/bin/time -v.
# Prints a Markdown table row per run for BENCHMARKS.md ("Shipment risk").
#   bench/risk.sh [ROWS...]      (default 1000000; DUALTRACE_SHARED_DATA overrides the data folder)
set -euo pipefail
cd "$(dirname "$0")/.."
S="${DUALTRACE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
cargo build --release -q -p dualtrace
BIN="${CARGO_TARGET_DIR:-target}/release/dualtrace"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STORE="$TMP/store"

imp() { "$BIN" --data-dir "$STORE" lists import "$@" > /dev/null; }
imp ofac-sdn-csv "$S/lists/ofac/sdn_2024-05-03.csv" --list ofac_sdn
imp ofac-cons-csv "$S"/lists/ofac/cons_2025-12/cons_{prim,add,alt,comments}.csv --list ofac_cons
imp us-csl-csv "$S/lists/us_csl/consolidated_2022-05.csv.gz" --list us_csl
imp bis-dpl "$S/lists/bis_dpl/dpl_2022.txt" --list bis_dpl
imp un-xml "$S/lists/un/UN_consolidated_2026-02-27.xml" --list un_sc
imp uk-csv "$S/lists/uk/UK_Sanctions_List_2025-08-11.csv" --list uk
imp eu-annex-csv "$S/lists/eu_annexes" --list eu_annexes
imp jp-meti-txt "$S"/lists/jp_meti/*.txt --list jp_meti
ENTITIES=$("$BIN" --data-dir "$STORE" lists status --json | python3 -c 'import json,sys; print(sum(l["entities"] for l in json.load(sys.stdin)["lists"]))')
echo "lists: $("$BIN" --data-dir "$STORE" lists status --json | python3 -c 'import json,sys; print(", ".join(l["name"] for l in json.load(sys.stdin)["lists"]))') ($ENTITIES entities)" >&2

echo "| lines | distinct parties | wall time (s) | lines/s | peak RSS (MiB) | high / medium / low / none |"
echo "|---:|---:|---:|---:|---:|---|"
for rows in "${@:-1000000}"; do
  "$BIN" gen shipments --rows "$rows" --out "$TMP/ship.csv" > /dev/null
  /usr/bin/time -v -o "$TMP/time" "$BIN" --data-dir "$STORE" risk --input "$TMP/ship.csv" --output "$TMP/out" --top 0 > /dev/null
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/time" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$TMP/time")
  python3 - "$rows" "$wall" "$rss" "$TMP/out/audit.json" <<'PY'
import json, sys
rows, wall, rss, audit = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], json.load(open(sys.argv[4]))
c = audit["counts"]
lv = c["by_level"]
print(f"| {rows:,} | {c['parties']:,} | {wall:.1f} | {rows / wall:,.0f} | {rss} | {lv['high']:,} / {lv['medium']:,} / {lv['low']:,} / {lv['none']:,} |")
PY
  rm -rf "$TMP/out" "$TMP/ship.csv"
done
