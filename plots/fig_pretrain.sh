#!/bin/sh
# fig_pretrain.sh - figure: pretraining cost over params x tokens (log-log
# heatmap, iso-cost lines, GPT-3/GPT-4/GPT-4 Turbo) -> $OUT/pretrain_cost.png
. "$(dirname "$0")/common.sh"
sweep fig_pretrain || exit 1
H5=$DATA/fig_pretrain.h5
slice "$H5" pretrain_cost --x params --y tokens --format binary -o "$DATA/pretrain_cost.bin"
nx=$("$LLMCOST" slice "$H5" pretrain_cost --x params --at tokens=#0 | grep -vc '^#')
render pretrain.gp pretrain_cost "in='$DATA/pretrain_cost.bin'; nx=$nx"
