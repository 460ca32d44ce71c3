#!/usr/bin/env bash
# Every speed comparison in one go, ours and the peer's in the same run, alternating rounds:
#   build        real ASEM data (51 x 49), COINr's steps (group-mean imputation by EurAsia_group,
#                screen, skew/kurtosis treatment, min-max, arithmetic mean), in memory, loading
#                excluded; peer COINr build_example_coin (the same steps plus its denomination).
#   uncertainty  the 2020 example and ASEM, per replication on one thread, start-up excluded on
#                both sides; peers numpy (batched, one thread) and COINr get_sensitivity.
# Medians of ROUNDS rounds with their range; each ratio is printed beside its goal.
#
#   benches/run.sh                    (CITYRANK=path/to/cityrank to use a built binary for the
#                                      `cityrank run` folders the numpy peer reads)
# Peers: python3 with numpy (a venv in target-bench-venv is made with pip if it is missing);
# R with COINr (install: ../shared/tools/install-coinr.sh SRC); a missing peer is named, its
# rows skipped. The record-engine comparison with DuckDB is benches/sources.sh.
# Env: ROUNDS (3), N_BUILD (2000), N_UNC (200000), N_NUMPY (100000), N_COINR (20).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"; NB="${N_BUILD:-2000}"; NU="${N_UNC:-200000}"
NN="${N_NUMPY:-100000}"; NC="${N_COINR:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-perf}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "cityrank benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores"

# Peers.
py=python3
if ! $py -c 'import numpy' 2>/dev/null; then
  venv="$PWD/target-bench-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy duckdb >/dev/null 2>&1 || true
  py="$venv/bin/python"
fi
have_numpy=0; $py -c 'import numpy' 2>/dev/null && have_numpy=1
have_coinr=0; command -v Rscript >/dev/null && Rscript -e 'suppressPackageStartupMessages(library(COINr))' >/dev/null 2>&1 && have_coinr=1
[ $have_numpy = 1 ] || echo "peer missing: numpy (pip install numpy)"
[ $have_coinr = 1 ] || echo "peer missing: R with COINr (../shared/tools/install-coinr.sh)"

# Our side: the in-memory harnesses (no SQL engine in them, so they build in a few minutes).
cargo bench -q -p cityrank-analysis --no-run >/dev/null 2>&1
bench() { cargo bench -q -p cityrank-analysis --bench "$1" -- "${@:2}" 2>/dev/null; }
if [ -z "${CITYRANK:-}" ]; then
  cargo build -q --profile bench -p cityrank-cli
  CITYRANK="$CARGO_TARGET_DIR/release/cityrank"; [ -x "$CITYRANK" ] || CITYRANK="$CARGO_TARGET_DIR/bench/cityrank"
fi

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
"$CITYRANK" run --out "$tmp/run2020" >/dev/null
"$CITYRANK" run --spec "$tmp/asem_unc.toml" --out "$tmp/runasem" >/dev/null

# med_range VALUES...: "median (min-max)"
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.4g (%.4g-%.4g)", a[int((NR+1)/2)], a[1], a[NR]}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.3g}')"; }

ours_b=(); coinr_b=(); ours_u20=(); ours_ua=(); np20=(); npa=(); cr20=(); cra=()
for r in $(seq "$ROUNDS"); do
  ours_b+=("$(bench build "$tmp/asem_build.toml" "$NB" | sed -E 's/.*median ([0-9.]+) ms.*/\1/')")
  [ $have_coinr = 1 ] && coinr_b+=("$(Rscript benches/coinr_build.R | awk '{print $(NF-5)}')")
  ours_u20+=("$(bench uncertainty "$PWD/examples/blockchain-2020/spec.toml" "$NU" data/indicators.csv | sed -E 's/.*median ([0-9.]+) us.*/\1/')")
  ours_ua+=("$(bench uncertainty "$tmp/asem_unc.toml" "$((NU / 2))" | sed -E 's/.*median ([0-9.]+) us.*/\1/')")
  if [ $have_numpy = 1 ]; then
    np() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $py benches/peers/uncertainty_numpy.py "$@" | tail -1 | awk '{print $(NF-3)}'; }
    np20+=("$(np "$tmp/run2020" "$NN" --leader-level 2 --decimals 2)")
    npa+=("$(np "$tmp/runasem" "$NN" --aggs arithmetic,geometric --agg-levels 2,3,4)")
  fi
  if [ $have_coinr = 1 ]; then
    Rscript benches/coinr_uncertainty.R "$asem/data" "$tmp/run2020" "$NC" 2>/dev/null > "$tmp/coinr.txt" || true
    cr20+=("$(python3 -c "print($(grep 'coinr 2020' "$tmp/coinr.txt" | awk '{print $3}')*1e6)")")
    cra+=("$(python3 -c "print($(grep 'coinr asem' "$tmp/coinr.txt" | awk '{print $3}')*1e6)")")
  fi
done

echo
echo "comparison                          ours                   peer                      ratio      goal"
row() { printf '%-35s %-22s %-25s %-10s %s\n' "$@"; }
b=$(median "${ours_b[@]}")
if [ $have_coinr = 1 ]; then
  row "build ASEM, ms (COINr)" "$(stats "${ours_b[@]}")" "$(stats "${coinr_b[@]}")" "$(ratio "$(median "${coinr_b[@]}")" "$b")x" ">= 1000x"
else row "build ASEM, ms" "$(stats "${ours_b[@]}")" "COINr missing" "" ">= 1000x"; fi
for c in 2020 asem; do
  if [ $c = 2020 ]; then o=("${ours_u20[@]}"); n=("${np20[@]}"); k=("${cr20[@]}"); else o=("${ours_ua[@]}"); n=("${npa[@]}"); k=("${cra[@]}"); fi
  m=$(median "${o[@]}")
  if [ $have_numpy = 1 ]; then
    row "uncertainty $c, us/rep (numpy)" "$(stats "${o[@]}")" "$(stats "${n[@]}")" "$(ratio "$(median "${n[@]}")" "$m")x" "~8x per core"
  fi
  if [ $have_coinr = 1 ]; then
    row "uncertainty $c, us/rep (COINr)" "$(stats "${o[@]}")" "$(stats "${k[@]}")" "$(ratio "$(median "${k[@]}")" "$m")x" "> 20000x"
  fi
done
f=0.75
row "uncertainty 2020 vs floor, us/rep" "$(median "${ours_u20[@]}")" "floor ~0.15" "$(ratio "$(median "${ours_u20[@]}")" 0.15)x floor" "<= 5x (${f} us)"
