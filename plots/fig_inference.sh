#!/bin/sh
# fig_inference.sh - figure: inference cost per 1K tokens against params for
# every catalogue GPU, compute-bound and bandwidth-aware at batch 1 and 64
# -> $OUT/inference_cost.png
. "$(dirname "$0")/common.sh"
sweep fig_inference || exit 1
H5=$DATA/fig_inference.h5
slice "$H5" infer_cost_per_1k --x params --y gpu -o "$DATA/inference_compute.txt"
slice "$H5" infer_cost_per_1k_bw --x params --y gpu --at batch=64 -o "$DATA/inference_b64.txt"
slice "$H5" infer_cost_per_1k_bw --x params --y gpu --at batch=1 -o "$DATA/inference_b1.txt"
# the article's example, exactly: GPT-4 Turbo on an A100
sweep fig_inference_points || exit 1
c=$("$LLMCOST" slice "$DATA/fig_inference_points.h5" infer_cost_per_1k --at params=1.776T --exact | grep -v '^#') || exit 1
render inference.gp inference_cost "in='$DATA/inference'; c_turbo=$c"
