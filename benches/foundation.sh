#!/usr/bin/env bash
# Build speed of the engine against COINr's full build of its ASEM example, in the same run.
# Usage: benches/foundation.sh   (needs R with COINr for the peer: ../shared/tools/install-coinr.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile bench -p cityrank-cli -q
bin=target/bench/cityrank
"$bin" bench --reps 500 --shapes 51x49,10000x200 | tee /tmp/cityrank-bench.txt
if command -v Rscript >/dev/null && Rscript -e 'library(COINr)' >/dev/null 2>&1; then
  Rscript benches/coinr_build.R | tee -a /tmp/cityrank-bench.txt
  ours=$(grep 'synthetic 51 units' /tmp/cityrank-bench.txt | awk '{print $(NF-5)}')
  theirs=$(grep 'COINr build_example_coin' /tmp/cityrank-bench.txt | awk '{print $(NF-3)}')
  python3 -c "print(f'ratio COINr / cityrank on the 51 x 49 shape: {float($theirs)/float($ours):.0f}x')"
else
  echo "COINr not installed: peer skipped (see ../shared/tools/install-coinr.sh)"
fi
