#!/bin/sh
# fig_routing.sh - figure: saving of routing a share of requests to a small
# model, per small/large size ratio -> $OUT/routing_saving.png
. "$(dirname "$0")/common.sh"
sweep fig_routing || exit 1
H5=$DATA/fig_routing.h5
slice "$H5" route_saving_share --x route_share --y small_params -o "$DATA/routing_saving.txt"
render routing.gp routing_saving "in='$DATA/routing'"
