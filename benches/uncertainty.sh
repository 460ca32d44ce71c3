#!/usr/bin/env bash
# Uncertainty-analysis benchmark: cityrank against COINr's get_sensitivity and the numpy peer,
# in the same run, on the 2020 example and on COINr's ASEM data (weights +-25% at every level,
# and for ASEM a draw between the arithmetic and geometric means at every aggregate level).
#
#   benches/uncertainty.sh            (PROFILE=bench by default; PROFILE=release also works)
# Needs python3 + numpy; COINr (../shared/tools/install-coinr.sh) for its row, skipped if absent.
# Env: SPEC_2020, CITYRANK (a built binary), N_MILLION (cityrank 2020 run, default 1000000), N_NUMPY (100000), N_COINR (20).
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${PROFILE:-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-perf}"
# CITYRANK=path skips the build and times that binary.
if [ -z "${CITYRANK:-}" ]; then
  cargo build -q --profile "$PROFILE" -p cityrank-cli
  CITYRANK="$CARGO_TARGET_DIR/$PROFILE/cityrank"
fi
B="$CITYRANK"
N1M="${N_MILLION:-1000000}"; NN="${N_NUMPY:-100000}"; NC="${N_COINR:-20}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
data="$(cd examples/asem/data && pwd)"

# ASEM benchmark spec: examples/asem with min-max [1, 100] (positive scores for the geometric
# mean) and the aggregation choice.
sed -e "s|\"data/|\"$data/|" \
    -e 's|normalise = { method = "min_max", low = 0, high = 100 }|normalise = { method = "min_max", low = 1, high = 100 }|' \
    -e 's|^weight_noise = 0.25|weight_noise = 0.25\naggregations = ["arithmetic", "geometric"]\naggregation_levels = [2, 3, 4]|' \
    examples/asem/spec.toml > "$tmp/asem.toml"
# SPEC_2020=path: another spec for the 2020 case (default: the bundled example).
s2020=(); [ -n "${SPEC_2020:-}" ] && s2020=(--spec "$SPEC_2020")
"$B" run "${s2020[@]}" --out "$tmp/run2020" >/dev/null
"$B" run --spec "$tmp/asem.toml" --out "$tmp/runasem" >/dev/null

# seconds and peak RSS (KB) of one cityrank run
cr() { local threads=$1; shift
  RAYON_NUM_THREADS=$threads /usr/bin/time -f "%e %M" "$B" uncertainty "$@" --out "$tmp/u" 2>&1 >/dev/null | tail -1; }
np() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 benches/peers/uncertainty_numpy.py "$@" | awk '{print $(NF-3)}'; }

echo "case,implementation,replications,threads,seconds,us_per_replication,peak_rss_kb"
for case in 2020 asem; do
  if [ "$case" = 2020 ]; then spec=("${s2020[@]}"); npargs=("$tmp/run2020" "$NN" --leader-level 2 --decimals 2); nbig=$N1M
  else spec=(--spec "$tmp/asem.toml"); npargs=("$tmp/runasem" "$NN" --aggs arithmetic,geometric --agg-levels 2,3,4); nbig=$((N1M / 2)); fi
  for threads in 1 2; do
    read -r s kb < <(cr $threads "${spec[@]}" -n "$nbig")
    echo "$case,cityrank,$nbig,$threads,$s,$(python3 -c "print(f'{$s/$nbig*1e6:.3f}')"),$kb"
  done
  read -r s kb < <(cr 2 "${spec[@]}" -n $((nbig / 10)))
  echo "$case,cityrank,$((nbig / 10)),2,$s,$(python3 -c "print(f'{$s/($nbig/10)*1e6:.3f}')"),$kb"
  us=$(np "${npargs[@]}")
  echo "$case,numpy,$NN,1,,$us,"
  if Rscript -e 'library(COINr)' >/dev/null 2>&1; then
    if [ "$case" = 2020 ]; then
      Rscript benches/coinr_uncertainty.R "$data" "$tmp/run2020" "$NC" 2>/dev/null > "$tmp/coinr.txt" || true
    fi
    sec=$(grep "coinr $case" "$tmp/coinr.txt" | awk '{print $3}')
    echo "$case,COINr get_sensitivity,$NC,1,,$(python3 -c "print(f'{$sec*1e6:.0f}')"),"
  fi
done
