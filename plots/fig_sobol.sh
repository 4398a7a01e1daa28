#!/bin/sh
# fig_sobol.sh - figure: Sobol first- and total-order indices of GPT-4's
# pretraining cost with 95% bootstrap intervals, from
# sweeps/sensitivity_gpt4.ini -> $OUT/sobol.png/.svg
. "$(dirname "$0")/common.sh"
"$LLMCOST" sensitivity "$ROOT/sweeps/sensitivity_gpt4.ini" --method sobol \
    --outputs pretrain_cost --samples 16384 --seed 1 --tsv > "$DATA/sobol.tsv" || {
    echo "fig_sobol.sh: llmcost sensitivity failed" >&2; exit 1; }
render sobol.gp sobol "in='$DATA/sobol.tsv'; note='N = 16384 Saltelli base samples (114688 evaluations), 95% bootstrap intervals (100 resamples)'"
