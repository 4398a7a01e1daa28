#!/bin/sh
# render_all.sh - what `make plots` runs: every plots/fig_*.sh, each running
# its sweep (sweeps/fig_*.ini) into plots/out/data/ and drawing png + svg
# into plots/out/.  Env as in plots/common.sh (LLMCOST, BUILD, OUT, FORMATS).
# Exit 1 when any figure failed (the others are still drawn).
dir=$(cd "$(dirname "$0")" && pwd)
failed=""
for f in "$dir"/fig_*.sh; do
    echo "== $(basename "$f")"
    sh "$f" || failed="$failed $(basename "$f")"
done
if [ -n "$failed" ]; then
    echo "render_all: failed:$failed" >&2
    exit 1
fi
echo "render_all: every figure drawn into ${OUT:-plots/out}"
