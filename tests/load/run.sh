#!/usr/bin/env bash
# Bounded load test of `cityrank serve` on loopback with wrk: the ranking and the what-if
# endpoints, DURATION seconds each (default 10), 2 threads, 32 connections. Prints requests/s
# and the latency distribution (p50, p90, p99). Needs wrk (Debian: apt-get install wrk).
# Usage: tests/load/run.sh [path/to/cityrank]   (a release build gives the meaningful figures)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/cityrank}
PORT=${PORT:-18977}
DURATION=${DURATION:-10}
BASE="http://127.0.0.1:$PORT"

"$BIN" serve --port "$PORT" >/dev/null &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/health" >/dev/null && break; sleep 0.2; done

echo "== GET /api/rankings (${DURATION}s)"
timeout $((DURATION + 10)) wrk -t2 -c32 -d"${DURATION}s" --latency "$BASE/api/rankings"

echo "== POST /api/whatif (${DURATION}s)"
timeout $((DURATION + 10)) wrk -t2 -c32 -d"${DURATION}s" --latency -s tests/load/whatif.lua "$BASE/api/whatif"
