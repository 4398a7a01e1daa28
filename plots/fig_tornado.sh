#!/bin/sh
# fig_tornado.sh - figure: tornado chart of GPT-4's pretraining cost over
# the rumoured inputs of sweeps/sensitivity_gpt4.ini -> $OUT/tornado.png/.svg
. "$(dirname "$0")/common.sh"
"$LLMCOST" sensitivity "$ROOT/sweeps/sensitivity_gpt4.ini" --method tornado \
    --outputs pretrain_cost --tsv > "$DATA/tornado.tsv" || {
    echo "fig_tornado.sh: llmcost sensitivity failed" >&2; exit 1; }
render tornado.gp tornado "in='$DATA/tornado.tsv'"
