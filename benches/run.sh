#!/usr/bin/env bash
# Every speed comparison in one go, on built binaries, ours and the peer's in the same run in
# alternating rounds; each row gives medians with their range and the ratio beside its goal.
#   build        real ASEM data (51 x 49), COINr's steps (group-mean imputation by EurAsia_group,
#                screen, skew/kurtosis treatment, min-max, arithmetic mean), in memory, loading
#                excluded; peer COINr build_example_coin (the same steps plus its denomination).
#   uncertainty  the 2020 example and ASEM, per replication on one thread, start-up excluded on
#                both sides; peers numpy (batched, one thread) and COINr get_sensitivity.
#   records      the 2020 example's 16 record sources replicated to 1M / 10M / 100M rows, CSV and
#                Parquet: `cityrank sources` (whole process) against DuckDB running the same SQL
#                (benches/peers/sources_duckdb.py: setup in one statement each; its interpreter
#                start-up and `import duckdb` timed apart and left out of its figure). Values
#                checked equal. Peak resident memory of both.
#   whatif       POST /api/whatif on `cityrank serve` over loopback: wrk with 8 connections pinned
#                to one core (taskset), the server to the other; requests/s and p99 latency.
# Ratios are the peer's time over ours (above 1: we are faster).
#
#   benches/run.sh [--quick] [--only build,uncertainty,records,whatif]
#     --quick   1M and 10M rows, a tenth of the replications, 5 s of what-if load
# Peers: numpy and duckdb from PyPI (a venv in target-bench-venv is made with pip if python3
# lacks them); wrk from Debian (apt-get install wrk, done here when run as root); R with COINr,
# optional: ../shared/tools/install-coinr.sh SRC installs it (INSTALL_COINR=SRC has this script
# run it first). A missing peer is named and its rows are skipped.
# Env: CITYRANK (a built binary to time instead of building one), ROUNDS (3), CARGO_TARGET_DIR (target-perf), RECORDS (where the record sets are generated
# once and kept: $CARGO_TARGET_DIR/bench-records; 100M rows take about 9 GB), SIZES, N_BUILD
# (2000), N_UNC (200000), N_NUMPY (100000), N_COINR (20), WHATIF_SECONDS (10), PORT (18480).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0; only="build,uncertainty,records,whatif"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) only="$2"; shift ;;
    *) echo "unknown option $1 (--quick, --only build,uncertainty,records,whatif)" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$only," == *",$1,"* ]]; }
ROUNDS="${ROUNDS:-3}"
if [ $quick = 1 ]; then
  NB="${N_BUILD:-500}"; NU="${N_UNC:-20000}"; NN="${N_NUMPY:-20000}"; NC="${N_COINR:-5}"
  SIZES="${SIZES:-1000000 10000000}"; WS="${WHATIF_SECONDS:-5}"
else
  NB="${N_BUILD:-2000}"; NU="${N_UNC:-200000}"; NN="${N_NUMPY:-100000}"; NC="${N_COINR:-20}"
  SIZES="${SIZES:-1000000 10000000 100000000}"; WS="${WHATIF_SECONDS:-10}"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-perf}"
RECORDS="${RECORDS:-$CARGO_TARGET_DIR/bench-records}"
PORT="${PORT:-18480}"
tmp="$(mktemp -d)"; server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "cityrank benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# Peers.
if [ -n "${INSTALL_COINR:-}" ]; then ../shared/tools/install-coinr.sh "$INSTALL_COINR"; fi
py=python3
if ! $py -c 'import numpy, duckdb' 2>/dev/null; then
  venv="$PWD/target-bench-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy duckdb >/dev/null 2>&1 || true
  py="$venv/bin/python"
fi
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && want whatif; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || true
fi
have() { $py -c "import $1" 2>/dev/null && echo 1 || echo 0; }
have_numpy=$(have numpy); have_duckdb=$(have duckdb)
have_coinr=0; command -v Rscript >/dev/null && Rscript -e 'suppressPackageStartupMessages(library(COINr))' >/dev/null 2>&1 && have_coinr=1
have_wrk=0; command -v wrk >/dev/null && command -v taskset >/dev/null && have_wrk=1
[ "$have_numpy" = 1 ] || echo "peer missing: numpy (pip install numpy)"
[ "$have_duckdb" = 1 ] || echo "peer missing: duckdb (pip install duckdb)"
[ $have_coinr = 1 ] || echo "peer missing: R with COINr (optional: ../shared/tools/install-coinr.sh SRC)"
[ $have_wrk = 1 ] || echo "load generator missing: wrk and taskset (apt-get install wrk util-linux)"
[ "$have_numpy" = 1 ] && echo "numpy $($py -c 'import numpy; print(numpy.__version__)')"
[ "$have_duckdb" = 1 ] && echo "duckdb $($py -c 'import duckdb; print(duckdb.__version__)')"
[ $have_coinr = 1 ] && echo "$(Rscript -e 'cat(R.version.string, "COINr", as.character(packageVersion("COINr")))' 2>/dev/null)"

# Our side: the command (every dependency optimised: --profile bench, which cargo writes to
# release/) and the in-memory harnesses.
# CITYRANK=path times that binary instead.
if [ -z "${CITYRANK:-}" ]; then
  cargo build -q --profile bench -p cityrank-cli
  CITYRANK="$CARGO_TARGET_DIR/release/cityrank"
fi
case "$CITYRANK" in
  */debug/*) echo "note: $CITYRANK is a debug build: the records and what-if rows, which time it, are skipped"
             only="${only//records/}"; only="${only//whatif/}" ;;
esac
if want build || want uncertainty; then cargo bench -q -p cityrank-analysis --no-run >/dev/null 2>&1; fi
bench() { cargo bench -q -p cityrank-analysis --bench "$1" -- "${@:2}" 2>/dev/null; }

# stats VALUES...: "median (min-max)"; ratio A B: A / B.
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.4g (%.4g-%.4g)", a[int((NR+1)/2)], a[1], a[NR]}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.3g}')"; }
rows=()
row() { rows+=("$(printf '%-38s %-24s %-26s %-9s %s' "$@")"); }

# Specs: absolute data paths, so they can live in the temporary folder.
asem="$PWD/examples/asem"
sed -e "s|\"data/|\"$asem/data/|" \
    -e 's|^outliers = "none"|outliers = { method = "skew_kurt" }|' \
    -e 's|^impute = "none"|impute = { method = "group_mean", group = "EurAsia_group" }|' \
    -e '0,/^\[\[level\]\]/s|^\[\[level\]\]|[screen]\nmin_coverage = 0.66\n\n[[level]]|' \
    "$asem/spec.toml" > "$tmp/asem_build.toml"
sed -e "s|\"data/|\"$asem/data/|" \
    -e 's|normalise = { method = "min_max", low = 0, high = 100 }|normalise = { method = "min_max", low = 1, high = 100 }|' \
    -e 's|^weight_noise = 0.25|weight_noise = 0.25\naggregations = ["arithmetic", "geometric"]\naggregation_levels = [2, 3, 4]|' \
    "$asem/spec.toml" > "$tmp/asem_unc.toml"

if want build; then
  ours=(); peer=()
  for r in $(seq "$ROUNDS"); do
    ours+=("$(bench build "$tmp/asem_build.toml" "$NB" | sed -E 's/.*median ([0-9.]+) ms.*/\1/')")
    [ $have_coinr = 1 ] && peer+=("$(Rscript benches/coinr_build.R | awk '{print $(NF-5)}')")
  done
  if [ $have_coinr = 1 ]; then
    row "build ASEM, ms (COINr)" "$(stats "${ours[@]}")" "$(stats "${peer[@]}")" "$(ratio "$(median "${peer[@]}")" "$(median "${ours[@]}")")x" ">= 1000x"
  else row "build ASEM, ms" "$(stats "${ours[@]}")" "COINr missing" "" ">= 1000x"; fi
fi

if want uncertainty; then
  "$CITYRANK" run --out "$tmp/run2020" >/dev/null
  "$CITYRANK" run --spec "$tmp/asem_unc.toml" --out "$tmp/runasem" >/dev/null
  u20=(); ua=(); np20=(); npa=(); cr20=(); cra=()
  np() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $py benches/peers/uncertainty_numpy.py "$@" | tail -1 | awk '{print $(NF-3)}'; }
  for r in $(seq "$ROUNDS"); do
    u20+=("$(bench uncertainty "$PWD/examples/blockchain-2020/spec.toml" "$NU" data/indicators.csv | sed -E 's/.*median ([0-9.]+) us.*/\1/')")
    ua+=("$(bench uncertainty "$tmp/asem_unc.toml" "$((NU / 2))" | sed -E 's/.*median ([0-9.]+) us.*/\1/')")
    if [ "$have_numpy" = 1 ]; then
      np20+=("$(np "$tmp/run2020" "$NN" --leader-level 2 --decimals 2)")
      npa+=("$(np "$tmp/runasem" "$NN" --aggs arithmetic,geometric --agg-levels 2,3,4)")
    fi
    if [ $have_coinr = 1 ]; then
      Rscript benches/coinr_uncertainty.R "$asem/data" "$tmp/run2020" "$NC" 2>/dev/null > "$tmp/coinr.txt" || true
      cr20+=("$(python3 -c "print($(grep 'coinr 2020' "$tmp/coinr.txt" | awk '{print $3}')*1e6)")")
      cra+=("$(python3 -c "print($(grep 'coinr asem' "$tmp/coinr.txt" | awk '{print $3}')*1e6)")")
    fi
  done
  for c in 2020 asem; do
    if [ $c = 2020 ]; then o=("${u20[@]}"); n=("${np20[@]}"); k=("${cr20[@]}"); else o=("${ua[@]}"); n=("${npa[@]}"); k=("${cra[@]}"); fi
    m=$(median "${o[@]}")
    [ "$have_numpy" = 1 ] && row "uncertainty $c, us/rep (numpy)" "$(stats "${o[@]}")" "$(stats "${n[@]}")" "$(ratio "$(median "${n[@]}")" "$m")x" "~8x per core"
    [ $have_coinr = 1 ] && row "uncertainty $c, us/rep (COINr)" "$(stats "${o[@]}")" "$(stats "${k[@]}")" "$(ratio "$(median "${k[@]}")" "$m")x" "> 20000x"
  done
  row "uncertainty 2020 vs floor, us/rep" "$(median "${u20[@]}")" "floor ~0.15" "$(ratio "$(median "${u20[@]}")" 0.15)x" "<= 5x floor (0.75 us)"
fi

# time_v CMD...: "wall_s peak_rss_mb" of the command; its standard output in $tmp/out.
time_v() {
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$tmp/time"
}
if want records && [ "$have_duckdb" = 1 ]; then
  mkdir -p "$RECORDS"
  start=(); for r in $(seq "$ROUNDS"); do
    t0=$(date +%s.%N); $py -c 'import duckdb' ; start+=("$(python3 -c "print($(date +%s.%N) - $t0)")")
  done
  for n in $SIZES; do
    for fmt in csv parquet; do
      dir="$RECORDS/set-$n-$fmt"
      if [ ! -f "$dir/expected.csv" ]; then
        rm -rf "$dir"
        echo "generating $n rows of $fmt in $dir" >&2
        "$CITYRANK" generate-records --rows "$n" --format "$fmt" --out "$dir.part" >/dev/null
        mv "$dir.part" "$dir"
      fi
      ours=(); peer=(); orss=(); prss=()
      for r in $(seq "$ROUNDS"); do
        read -r w m < <(time_v "$CITYRANK" sources --records "$dir/records.toml" --values-out "$tmp/ours.csv")
        ours+=("$w"); orss+=("$m")
        read -r w m < <(time_v $py benches/peers/sources_duckdb.py "$dir/records.toml" --cityrank "$CITYRANK" --values-out "$tmp/peer.csv")
        peer+=("$(sed -nE 's/.* indicators in ([0-9.]+) s.*/\1/p' "$tmp/out")"); prss+=("$m")
      done
      python3 - "$tmp/ours.csv" "$tmp/peer.csv" <<'EOF' || { echo "records $n $fmt: the engines disagree" >&2; exit 1; }
import csv, sys
a, b = ({(r["indicator"], r["city"]): r["value"] for r in csv.DictReader(open(p))} for p in sys.argv[1:])
assert a.keys() == b.keys(), "different cells"
bad = [k for k in a if (a[k] == "") != (b[k] == "") or (a[k] and abs(float(a[k]) - float(b[k])) > 1e-9 * max(1.0, abs(float(a[k]))))]
assert not bad, f"{len(bad)} values differ, first {bad[:3]}"
EOF
      goal=">= 1x"; [ $fmt = csv ] && goal=">= 0.83x (1.2x slower)"
      label=$(python3 -c "print(f'{$n / 1e6:g}M')")
      row "records $label $fmt, s (DuckDB)" "$(stats "${ours[@]}")" "$(stats "${peer[@]}")" "$(ratio "$(median "${peer[@]}")" "$(median "${ours[@]}")")x" "$goal"
      row "  peak memory, MB" "$(stats "${orss[@]}")" "$(stats "${prss[@]}")" "" ""
    done
  done
  row "  DuckDB start-up (python + import), s" "" "$(stats "${start[@]}")" "" "left out of its figures"
fi

if want whatif && [ $have_wrk = 1 ]; then
  taskset -c 0 "$CITYRANK" serve --port "$PORT" --out "$tmp/serve" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/api/editions" >/dev/null && break; sleep 0.1; done
  body='{"weights":{"RD":1,"IND":2,"PUB":1,"POL":1}}'
  curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/whatif" | grep -q '"rows"' \
    || { echo "what-if server did not answer" >&2; exit 1; }
  cat > "$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
EOF
  rps=(); p99=()
  for r in $(seq "$ROUNDS"); do
    taskset -c 1 wrk -t1 -c8 -d"${WS}s" --latency -s "$tmp/post.lua" "http://127.0.0.1:$PORT/api/whatif" > "$tmp/wrk"
    rps+=("$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk")")
    p99+=("$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v); print v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1)}' "$tmp/wrk")")
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  row "what-if HTTP, requests/s" "$(stats "${rps[@]}")" "wrk -c8, one core" "" ">= 5000"
  row "what-if HTTP, p99 ms" "$(stats "${p99[@]}")" "" "" "< 5 ms"
fi

echo
printf '%-38s %-24s %-26s %-9s %s\n' "comparison" "ours" "peer" "ratio" "goal"
printf '%s\n' "${rows[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
