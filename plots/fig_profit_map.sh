#!/bin/sh
# fig_profit_map.sh - figure: where a subscription is profitable over
# subscribers x tokens per user, break-even contour -> $OUT/profit_map.png
. "$(dirname "$0")/common.sh"
sweep fig_profit_map || exit 1
H5=$DATA/fig_profit_map.h5
slice "$H5" sub_profit --x users --y tokens_per_user --format binary -o "$DATA/profit_map.bin"
nx=$("$LLMCOST" slice "$H5" sub_profit --x users --at tokens_per_user=#0 | grep -vc '^#')
render profit_map.gp profit_map "in='$DATA/profit_map.bin'; nx=$nx"
