#!/bin/sh
# fig_tokens.sh - figure: the article's chart 7.2, revenue and cost of
# selling tokens, break-even marked -> $OUT/token_breakeven.png
. "$(dirname "$0")/common.sh"
sweep fig_tokens || exit 1
H5=$DATA/fig_tokens.h5
slice "$H5" token_revenue --x monthly_tokens -o "$DATA/tokens_revenue.txt"
slice "$H5" monthly_cost --x monthly_tokens -o "$DATA/tokens_cost.txt"
slice "$H5" breakeven_tokens -o "$DATA/tokens_breakeven.txt"
render tokens.gp token_breakeven "in='$DATA/tokens'"
