#!/usr/bin/env bash
# Load test of `dualtrace serve` on loopback with every real list of ../shared/data loaded:
# POST /match/default with single queries (bench/server_match.lua) for DURATION seconds at 1, 16
# and 128 connections (wrk), then again at 16 connections while a new OFAC SDN version
# (2024-04-26 -> 2024-05-03) is imported and hot-reloaded. Prints a Markdown table.
#   bench/server.sh [DURATION]     (default 20 s; DUALTRACE_SHARED_DATA overrides the data folder)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
S="${DUALTRACE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
DURATION="${1:-20}"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
cargo build --release -q -p dualtrace
BIN="${CARGO_TARGET_DIR:-target}/release/dualtrace"
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
STORE="$TMP/store"

imp() { "$BIN" --data-dir "$STORE" lists import "$@" > /dev/null; }
echo "importing the real lists into $STORE ..." >&2
imp ofac-sdn-csv "$S/lists/ofac/sdn_2024-04-26.csv" --list ofac_sdn
imp ofac-cons-csv "$S"/lists/ofac/cons_2025-12/cons_{prim,add,alt,comments}.csv
imp us-csl-csv "$S/lists/us_csl/consolidated_2022-05.csv.gz"
imp bis-dpl "$S/lists/bis_dpl/dpl_2022.txt"
imp un-xml "$S/lists/un/UN_consolidated_2026-02-27.xml"
imp uk-csv "$S/lists/uk/UK_Sanctions_List_2025-08-11.csv"
imp eu-annex-csv "$S/lists/eu_annexes"
imp jp-meti-txt "$S"/lists/jp_meti/*.txt
imp ftm-json "$S/lists/ftm_samples/zala_entities.ftm.json" --list ftm_zala
imp ftm-json "$S/lists/ftm_samples/t1_entities.ftm.json" --list ftm_t1

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$BIN" --data-dir "$STORE" serve --bind "127.0.0.1:$PORT" --reload-interval 1 2> "$TMP/server.log" &
SERVER_PID=$!
started=$(date +%s.%N)
until curl -sf "$BASE/readyz" > "$TMP/ready.json"; do sleep 0.1; done
ready=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
entities=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entities"])' "$TMP/ready.json")
echo "server ready in ${ready} s with $entities entities" >&2

# One wrk run: prints "| label | conns | req/s | p50 | p99 | requests | errors |".
load() {
  local label=$1 conns=$2 threads=$(( $2 < 2 ? 1 : 2 )) secs=${DURATION}
  wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s bench/server_match.lua "$BASE/match/default" > "$TMP/wrk.txt"
  python3 - "$TMP/wrk.txt" "$label" "$conns" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.sub(r"[\d.]", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
reqs = re.search(r"(\d+) requests in", text).group(1)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {float(rps):,.0f} | {ms(lat['50']):.2f} | {ms(lat['99']):.2f} | {int(reqs):,} | {errors} |")
PY
}

echo "| run | connections | requests/s | p50 (ms) | p99 (ms) | requests | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
load "/match, single queries" 1
load "/match, single queries" 16
load "/match, single queries" 128

# The same at 16 connections for twice as long while a new OFAC SDN version is imported and
# hot-reloaded; a poller notes when the new version is first served.
( sleep 2; imp ofac-sdn-csv "$S/lists/ofac/sdn_2024-05-03.csv" --list ofac_sdn; date +%s.%N > "$TMP/imported" ) &
IMPORT_PID=$!
update_started=$(date +%s.%N)
( while true; do
    v=$(curl -sf "$BASE/api/v1/lists" | python3 -c 'import json,sys; print(next(l["loaded"]["version"] for l in json.load(sys.stdin)["lists"] if l["loaded"]["name"]=="ofac_sdn"))' || true)
    if [ "$v" = 2 ]; then date +%s.%N > "$TMP/swapped"; break; fi
    sleep 0.5
  done ) &
POLL_PID=$!
DURATION=$(( DURATION * 2 )) load "/match during an OFAC SDN update" 16
wait "$IMPORT_PID"
swapped="not within the run"
if [ -f "$TMP/swapped" ]; then
  swapped=$(python3 -c "print(f'{$(cat "$TMP/swapped") - $update_started:.1f} s after the run started, {$(cat "$TMP/swapped") - $(cat "$TMP/imported"):.1f} s after the import ended')")
else
  kill "$POLL_PID" 2>/dev/null || true
fi
version=$(curl -sf "$BASE/api/v1/lists" | python3 -c 'import json,sys; print(next(l["loaded"]["version"] for l in json.load(sys.stdin)["lists"] if l["loaded"]["name"]=="ofac_sdn"))')
reloads=$(curl -sf "$BASE/metrics" | awk '/^dualtrace_engine_reloads_total/ {print $2}')
echo >&2
echo "ofac_sdn version 2 first served: $swapped; version served at the end: $version; engine swaps: $reloads" >&2
echo "server peak RSS: $(awk '/VmHWM/ {printf "%d MiB", $2 / 1024}' "/proc/$SERVER_PID/status")" >&2
