#!/usr/bin/env bash
# Build speed against COINr on the real ASEM data with the same steps: now part of the one
# benchmark command, benches/run.sh (which also runs the uncertainty comparisons).
exec "$(dirname "$0")/run.sh" "$@"
