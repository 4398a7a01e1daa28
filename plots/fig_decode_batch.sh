#!/bin/sh
# fig_decode_batch.sh - figure: roofline decode cost per 1K output tokens of
# Llama-3.1-70B against the batch for five data-centre GPUs (the roofline knee)
# -> $OUT/decode_batch.png
. "$(dirname "$0")/common.sh"
sweep fig_decode_batch || exit 1
H5=$DATA/fig_decode_batch.h5
slice "$H5" decode_cost_per_1k --x batch --y gpu -o "$DATA/decode_batch.txt"
slice "$H5" infer_cost_per_1k --x batch --y gpu -o "$DATA/decode_batch_compute.txt"
render decode_batch.gp decode_batch "in='$DATA/decode_batch'"
