#!/bin/sh
# fig_subscription.sh - figure: the article's chart 7.3, subscription profit
# against subscribers per tokens-per-user value, break-even points marked
# -> $OUT/subscription_breakeven.png
. "$(dirname "$0")/common.sh"
sweep fig_subscription || exit 1
H5=$DATA/fig_subscription.h5
slice "$H5" sub_profit --x users --y tokens_per_user -o "$DATA/subscription_profit.txt"
# breakeven_users is NaN where a user costs more than he pays (a note says so):
# gnuplot skips NaN, and the key says "no break-even"
slice "$H5" breakeven_users --x tokens_per_user -o "$DATA/subscription_breakeven.txt"
render subscription.gp subscription_breakeven "in='$DATA/subscription'"
