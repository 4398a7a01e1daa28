#!/bin/sh
# fig_pretrain.sh - figure: pretraining cost over params x tokens (log-log
# heatmap, iso-cost lines, GPT-3/GPT-4/GPT-4 Turbo) -> $OUT/pretrain_cost.png
. "$(dirname "$0")/common.sh"
sweep fig_pretrain || exit 1
H5=$DATA/fig_pretrain.h5
slice "$H5" pretrain_cost --x params --y tokens --format binary -o "$DATA/pretrain_cost.bin"
nx=$("$LLMCOST" slice "$H5" pretrain_cost --x params --at tokens=#0 | grep -vc '^#')
# the article's models, exactly (a 3 x 2 sweep of their sizes and tokens)
sweep fig_pretrain_points || exit 1
P=$DATA/fig_pretrain_points.h5
point() { "$LLMCOST" slice "$P" pretrain_cost --at params="$1" --at tokens="$2" --exact | grep -v '^#'; }
c3=$(point 175B 500B) && c4=$(point 1.8T 13T) && c4t=$(point 1.776T 13T) || exit 1
render pretrain.gp pretrain_cost "in='$DATA/pretrain_cost.bin'; nx=$nx; c_gpt3=$c3; c_gpt4=$c4; c_gpt4t=$c4t"
