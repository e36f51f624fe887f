#!/usr/bin/env bash
# Import time and peak memory (max RSS) for each real list in ../shared/data, one import per
# list into a fresh store, release build. Prints a Markdown table for BENCHMARKS.md.
#   bench/lists.sh            (DUALTRACE_SHARED_DATA overrides the data folder)
set -euo pipefail
cd "$(dirname "$0")/.."
S="${DUALTRACE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
cargo build --release -q -p dualtrace
BIN="${CARGO_TARGET_DIR:-target}/release/dualtrace"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "| list | format | source files | entities | records | import time (s) | peak RSS (MiB) |"
echo "|---|---|---|---:|---:|---:|---:|"
run() {
  local list=$1 format=$2; shift 2
  local store="$TMP/store-$list"
  /usr/bin/time -f "%e %M" -o "$TMP/time" "$BIN" --data-dir "$store" lists import "$format" "$@" --list "$list" --json > "$TMP/out.json"
  read -r secs kb < "$TMP/time"
  local entities records
  entities=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entities"])' "$TMP/out.json")
  records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$TMP/out.json")
  local files=""
  for f in "$@"; do files="$files $(basename "$f")"; done
  printf "| %s | %s | %s | %s | %s | %s | %d |\n" "$list" "$format" "${files# }" "$entities" "$records" "$secs" $((kb / 1024))
}
run ofac_sdn ofac-sdn-csv "$S/lists/ofac/sdn_2024-05-03.csv"
run ofac_sdn_2021 ofac-sdn-csv "$S"/lists/ofac/full_2021-07/{sdn,add,alt,sdn_comments}.csv
run ofac_cons ofac-cons-csv "$S"/lists/ofac/cons_2025-12/cons_{prim,add,alt,comments}.csv
run us_csl us-csl-csv "$S/lists/us_csl/consolidated_2022-05.csv.gz"
run bis_dpl bis-dpl "$S/lists/bis_dpl/dpl_2022.txt"
run un_sc un-xml "$S/lists/un/UN_consolidated_2026-02-27.xml"
run uk_csv uk-csv "$S/lists/uk/UK_Sanctions_List_2025-08-11.csv"
run uk_ods uk-ods "$S/lists/uk/FCDO_SL_2025-08-11.ods"
run eu_annexes eu-annex-csv "$S/lists/eu_annexes"
run jp_meti jp-meti-txt "$S"/lists/jp_meti/*.txt
run ftm_zala ftm-json "$S/lists/ftm_samples/zala_entities.ftm.json"
