#!/bin/sh
# fig_memory_fit.sh - figure: GPUs per serving replica (H100-80GB, batch 32)
# for architecture presets against the context -> $OUT/memory_fit.png
. "$(dirname "$0")/common.sh"
sweep fig_memory_fit || exit 1
slice "$DATA/fig_memory_fit.h5" gpus_per_replica --x context --y arch -o "$DATA/memory_fit.txt"
render memory_fit.gp memory_fit "in='$DATA/memory_fit.txt'"
