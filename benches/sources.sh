#!/usr/bin/env bash
# Record sources benchmark: generated record sets of 1M / 10M / 100M rows (the bundled
# example's 16 sources, replicated), all 16 indicators computed from CSV and from Parquet,
# by cityrank (DataFusion in-process, --profile bench) and by DuckDB (Python package)
# running equivalent SQL over the same files, in the same run, alternating.
# Wall time and peak memory (max RSS) from /usr/bin/time -v; the values of both engines
# are checked against each other and against the generator's expected.csv.
#
#   benches/sources.sh                  # 1M and 10M, CSV and Parquet, 3 repetitions
#   SIZES="1000000 10000000 100000000" FORMATS="parquet" REPS=1 benches/sources.sh
#
# Needs: cargo, python3 with `duckdb` (pip install duckdb), /usr/bin/time.
# Record sets go to $WORK (default /tmp/cityrank-sources-bench) and are deleted after use
# (KEEP=1 keeps them; REUSE=1 reuses a set already there).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
FORMATS=${FORMATS:-"csv parquet"}
REPS=${REPS:-3}
WORK=${WORK:-/tmp/cityrank-sources-bench}
OUT=${OUT:-$WORK/results.tsv}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

cargo build --profile bench -p cityrank-cli >&2
# `--profile bench` writes to target/release (as `--release` does: build it last).
BIN=$CARGO_TARGET_DIR/release/cityrank
PEER=benches/peers/sources_duckdb.py
python3 -c 'import duckdb' || { echo "pip install duckdb" >&2; exit 1; }

mkdir -p "$WORK"
echo -e "rows\tformat\tengine\trep\twall_s\tpeak_rss_mb" > "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)')" >&2

# time -v wrapper: prints "wall rss_mb" of the command.
measure() {
  local log=$WORK/time.log
  /usr/bin/time -v "$@" > "$WORK/stdout.log" 2> "$log" || { cat "$WORK/stdout.log" "$log" >&2; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$log")
  echo "$wall $rss"
}

compare() {
  python3 - "$@" <<'EOF'
import csv, sys
def load(p):
    return {(r["indicator"], r["city"]): r["value"] for r in csv.DictReader(open(p))}
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a.keys() == b.keys(), "different cells"
bad = [(k, a[k], b[k]) for k in a
       if (a[k] == "") != (b[k] == "")
       or (a[k] and abs(float(a[k]) - float(b[k])) > 1e-9 * max(1.0, abs(float(a[k]))))]
if bad:
    print("DIFFERENT:", len(bad), bad[:5]); sys.exit(1)
print(f"identical: {len(a)} values ({sum(1 for v in a.values() if v)} numbers)")
EOF
}

for rows in $SIZES; do
  for fmt in $FORMATS; do
    dir=$WORK/set-$rows-$fmt
    if [ "${REUSE:-0}" = 1 ] && [ -f "$dir/expected.csv" ]; then
      echo "== $rows rows, $fmt: reusing $dir" >&2
    else
      rm -rf "$dir"
      echo "== $rows rows, $fmt: generating" >&2
      /usr/bin/time -f "generated in %e s, peak %M KB" "$BIN" generate-records --rows "$rows" --format "$fmt" --out "$dir" | head -1 >&2
    fi
    du -sh "$dir/records" >&2
    df -h "$WORK" | tail -1 >&2
    for rep in $(seq 1 "$REPS"); do
      r=$(measure "$BIN" sources --records "$dir/records.toml" --values-out "$WORK/cityrank.csv")
      grep -E "indicators computed|agree" "$WORK/stdout.log" >&2
      echo -e "$rows\t$fmt\tcityrank\t$rep\t${r% *}\t${r#* }" | tee -a "$OUT" >&2
      r=$(measure python3 "$PEER" "$dir/records.toml" --cityrank "$BIN" --values-out "$WORK/duckdb.csv")
      cat "$WORK/stdout.log" >&2
      echo -e "$rows\t$fmt\tduckdb\t$rep\t${r% *}\t${r#* }" | tee -a "$OUT" >&2
      compare "$WORK/cityrank.csv" "$WORK/duckdb.csv" >&2
    done
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
  done
done

echo "== median wall time and peak memory" >&2
python3 - "$OUT" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
keys = sorted({(int(r["rows"]), r["format"]) for r in rows})
print("| rows | format | cityrank s | DuckDB s | ratio | cityrank MB | DuckDB MB |")
print("|---:|---|---:|---:|---:|---:|---:|")
for n, f in keys:
    def med(e, c):
        return statistics.median(float(r[c]) for r in rows if int(r["rows"]) == n and r["format"] == f and r["engine"] == e)
    c, d = med("cityrank", "wall_s"), med("duckdb", "wall_s")
    print(f"| {n:,} | {f} | {c:.2f} | {d:.2f} | {c/d:.2f} | {med('cityrank','peak_rss_mb'):.0f} | {med('duckdb','peak_rss_mb'):.0f} |")
EOF
