#!/bin/sh
# demo.sh - what `make demo` runs: the default sweep (sweeps/default.ini,
# 2.6M points) into plots/out/demo/default.h5, `llmcost info` on it, a profit
# map drawn from it, then every figure (plots/render_all.sh).
# The demo file is llmcost's own output under plots/out/ (replaced on each
# run, and said so); nothing outside plots/out/ is written.
. "$(dirname "$0")/common.sh"
mkdir -p "$OUT/demo" || exit 1
H5=$OUT/demo/default.h5
[ -e "$H5" ] && echo "demo: replacing the previous demo output $H5"
echo "== llmcost sweep sweeps/default.ini -o $H5"
"$LLMCOST" sweep "$ROOT/sweeps/default.ini" -o "$H5" --force || exit 1
echo
echo "== llmcost info $H5"
"$LLMCOST" info "$H5" || exit 1
echo
# one figure from the demo file: profit over subscribers x tokens per user
# for a GPT-4-sized model on an H100 at 40% utilization (nearest grid points)
echo "== llmcost slice $H5 sub_profit --x users --y tokens_per_user --at params=1.8T --at gpu=H100 --at util=0.4"
set -- --at params=1.8T --at gpu=H100 --at util=0.4
slice "$H5" sub_profit --x users --y tokens_per_user "$@" --format binary -o "$DATA/demo_profit_map.bin"
hdr=$("$LLMCOST" slice "$H5" sub_profit --x users --y tokens_per_user "$@" 2>/dev/null | sed -n '/^#/p')
nx=$(printf '%s\n' "$hdr" | sed -n 's/^# x: .* \([0-9]*\) values.*/\1/p')
# "params=2e+12 (#31) gpu=H100 (#1) ..." -> "params=2e+12 gpu=H100 ..." (no '_': enhanced text)
fixed=$(printf '%s\n' "$hdr" | sed -n 's/^# fixed: //p' | sed 's/ (#[0-9]*[^)]*)//g; s/_/ /g')
render profit_map.gp demo_profit_map \
    "in='$DATA/demo_profit_map.bin'; nx=$nx; article=0; held='sweeps/default.ini at $fixed, tokens = 20 params, discount 0.5, 20 USD/user/month'"
echo
echo "== plots/render_all.sh"
sh "$ROOT/plots/render_all.sh"
